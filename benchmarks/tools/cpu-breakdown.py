#!/usr/bin/env python3
"""CPU of one process by category, from async-profiler's collapsed output (with the `threads` option).

    python3 cpu-breakdown.py FILE.collapsed

Each sample goes to the first matching category, in the order below (JIT and GC by thread, then by frames on the
stack); samples matching none are listed by thread.
"""
import re,collections,sys
f=sys.argv[1]
tot=0; cat=collections.Counter()
rules=[
 ('JIT compiler', lambda t,s: 'CompilerThre' in t),
 ('GC', lambda t,s: 'GC Thread' in t or 'G1 ' in t or 'VM Thread' in t or 'G1Concurrent' in s),
 ('encode request frame (Frames.encodeRequest)', lambda t,s: 'Frames.encodeRequest' in s),
 ('decode response (Frames.*decodeResponse)', lambda t,s: 'decodeResponse' in s),
 ('broker: decode request', lambda t,s: 'decodeRequestBody' in s),
 ('broker: handle request (storage, groups)', lambda t,s: 'BrokerRequestHandler' in s),
 ('QUIC+TLS in quiche (native)', lambda t,s: 'quiche' in s.lower() and ('quiche_' in s or 'quiche::' in s)),
 ('UDP send/recv syscalls', lambda t,s: re.search(r'sendmsg|sendto|recvmsg|recvfrom|DatagramChannel.(send|receive)|doWriteMessage|doReadMessages',s) is not None),
 ('thread hand-off (park/unpark, futex, epoll wait)', lambda t,s: re.search(r'LockSupport|Unsafe.park|Unsafe.unpark|futex|epoll_wait|select|finish_task_switch|schedule',s) is not None),
 ('producer send path (DefaultProducer.sendAsync & accumulator)', lambda t,s: 'DefaultProducer' in s and 'sendAsync' in s),
 ('completion callbacks (CompletableFuture chains)', lambda t,s: 'CompletableFuture' in s),
 ('consumer (DefaultConsumer)', lambda t,s: 'DefaultConsumer' in s),
 ('perf tool itself', lambda t,s: 'io/rustmq/benchmarks' in s),
]
for line in open(f):
    stack,n=line.rstrip('\n').rsplit(' ',1); n=int(n); tot+=n
    fr=stack.split(';'); t=fr[0]
    for name,fn in rules:
        if fn(t,stack):
            cat[name]+=n; break
    else:
        tn=re.sub(r'\d+','N',t)
        cat['other: '+tn]+=n
print("samples",tot)
for c,n in cat.most_common(25): print(f"{100*n/tot:5.1f}% {c}")
