/*
 * The latency floor of a machine for rustmq-perf's latency test: the same chain of threads and hand-offs as a
 * send->ack round trip of the client and the embedded broker, in C, with no garbage collector and no JIT compiler.
 *
 *   sending thread --eventfd--> client network thread --UDP, 2,955 bytes--> broker thread
 *   broker thread --UDP, 64 bytes--> client network thread --eventfd--> callback thread (records the latency)
 *   client network thread --UDP, 44 bytes (the QUIC acknowledgment)--> broker thread
 *
 * Each hop spins for 10-60 us (130 us per round trip in all), and the sending thread starts a round trip every 2 ms,
 * as the latency test's pacer sends a burst of 20 records every 2 ms at 10,000 records/s. The Java hops take more:
 * counted from /proc in one latency run, about 200 us of the client network thread's CPU and 180 us of the broker's
 * per request; the environment variable SCALE multiplies every spin (SCALE=3 comes near that). It prints the
 * percentiles of 5,000 round trips (10 s) and, on Linux, the share of the machine's CPU time the hypervisor stole
 * meanwhile (/proc/stat), as rustmq-perf does. A p99 above 2 ms here is the machine's, not the client's.
 *
 *   gcc -O2 -pthread -o latency-floor benchmarks/tools/latency-floor.c && ./latency-floor
 *   SCALE=3 ./latency-floor
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUND_TRIPS 5000
#define PERIOD_NS 2000000ull

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

/* The multiplier of every hop's spin (environment variable SCALE; 1 when unset). */
static double scale = 1.0;

/* Busy for about `us` microseconds times `scale`: the work a hop does. */
static void work(int us) {
    uint64_t end = now_ns() + (uint64_t) (us * scale * 1000.0);
    while (now_ns() < end) {
    }
}

static int to_network, to_callback, client_socket, broker_socket;
static struct sockaddr_in client_address, broker_address;
static uint64_t sent_at[ROUND_TRIPS], latency[ROUND_TRIPS];
static volatile int sent, acknowledged;

static void *broker(void *unused) {
    char buf[4096];
    for (;;) {
        ssize_t n = recv(broker_socket, buf, sizeof buf, 0);
        if (n <= 0) {
            continue;
        }
        if (n < 100) { /* an acknowledgment */
            work(15);
            continue;
        }
        work(60);
        sendto(broker_socket, buf, 64, 0, (struct sockaddr *) &client_address, sizeof client_address);
    }
    return unused;
}

static void *network(void *unused) {
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN};
    e.data.fd = to_network;
    epoll_ctl(ep, EPOLL_CTL_ADD, to_network, &e);
    e.data.fd = client_socket;
    epoll_ctl(ep, EPOLL_CTL_ADD, client_socket, &e);
    char buf[4096];
    uint64_t v;
    for (;;) {
        struct epoll_event ev[4];
        int k = epoll_wait(ep, ev, 4, -1);
        for (int i = 0; i < k; i++) {
            if (ev[i].data.fd == to_network) {
                if (read(to_network, &v, 8) != 8) {
                    continue;
                }
                work(40);
                memset(buf, 1, 2955);
                int id = sent;
                memcpy(buf, &id, sizeof id);
                sendto(client_socket, buf, 2955, 0, (struct sockaddr *) &broker_address, sizeof broker_address);
            } else {
                ssize_t n = recv(client_socket, buf, sizeof buf, MSG_DONTWAIT);
                if (n >= (ssize_t) sizeof(int)) {
                    work(30);
                    int id;
                    memcpy(&id, buf, sizeof id);
                    acknowledged = id;
                    v = 1;
                    if (write(to_callback, &v, 8) != 8) {
                        perror("write");
                    }
                    sendto(client_socket, buf, 44, 0, (struct sockaddr *) &broker_address, sizeof broker_address);
                }
            }
        }
    }
    return unused;
}

static void *callback(void *unused) {
    uint64_t v;
    int done = 0;
    for (;;) {
        if (read(to_callback, &v, 8) != 8) {
            continue;
        }
        int upto = acknowledged; /* read before the clock: every round trip up to it was sent earlier */
        uint64_t t = now_ns();
        work(10);
        while (done < upto) {
            latency[done] = t - sent_at[done];
            done++;
        }
    }
    return unused;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

/* Reads the aggregate cpu line of /proc/stat: stolen and total ticks; returns 0 where there is none (not Linux). */
static int read_steal(unsigned long long *steal, unsigned long long *total) {
    unsigned long long v[8];
    FILE *f = fopen("/proc/stat", "r");
    if (f == NULL) {
        return 0;
    }
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                   &v[6], &v[7]);
    fclose(f);
    if (n != 8) {
        return 0;
    }
    *steal = v[7];
    *total = 0;
    for (int i = 0; i < 8; i++) {
        *total += v[i];
    }
    return 1;
}

int main(void) {
    const char *scaling = getenv("SCALE");
    if (scaling != NULL) {
        char *rest;
        scale = strtod(scaling, &rest);
        if (rest == scaling || *rest != '\0' || scale <= 0) {
            fprintf(stderr, "SCALE must be a positive number, got '%s'\n", scaling);
            return 2;
        }
    }
    to_network = eventfd(0, 0);
    to_callback = eventfd(0, 0);
    client_socket = socket(AF_INET, SOCK_DGRAM, 0);
    broker_socket = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&client_address, 0, sizeof client_address);
    client_address.sin_family = AF_INET;
    client_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    broker_address = client_address;
    if (bind(client_socket, (struct sockaddr *) &client_address, sizeof client_address) != 0
            || bind(broker_socket, (struct sockaddr *) &broker_address, sizeof broker_address) != 0) {
        perror("bind");
        return 1;
    }
    socklen_t len = sizeof client_address;
    getsockname(client_socket, (struct sockaddr *) &client_address, &len);
    len = sizeof broker_address;
    getsockname(broker_socket, (struct sockaddr *) &broker_address, &len);
    pthread_t t;
    pthread_create(&t, NULL, broker, NULL);
    pthread_create(&t, NULL, network, NULL);
    pthread_create(&t, NULL, callback, NULL);
    unsigned long long steal0 = 0, total0 = 0, steal1 = 0, total1 = 0;
    int have_steal = read_steal(&steal0, &total0);
    uint64_t start = now_ns();
    for (int i = 0; i < ROUND_TRIPS; i++) {
        uint64_t due = start + (uint64_t) i * PERIOD_NS, n = now_ns();
        if (due > n) {
            struct timespec wait = {0, (long) (due - n)};
            nanosleep(&wait, NULL);
        }
        sent_at[i] = now_ns();
        sent = i + 1;
        uint64_t v = 1;
        if (write(to_network, &v, 8) != 8) {
            perror("write");
        }
        work(20);
    }
    usleep(100000);
    have_steal = have_steal && read_steal(&steal1, &total1) && total1 > total0;
    if (acknowledged < ROUND_TRIPS) {
        fprintf(stderr, "only %d of %d round trips finished\n", acknowledged, ROUND_TRIPS);
        return 1;
    }
    qsort(latency, ROUND_TRIPS, sizeof latency[0], compare);
    printf("%d round trips, one every 2 ms: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms\n", ROUND_TRIPS,
           latency[ROUND_TRIPS / 2] / 1e6, latency[ROUND_TRIPS * 99 / 100] / 1e6,
           latency[ROUND_TRIPS * 999 / 1000] / 1e6, latency[ROUND_TRIPS - 1] / 1e6);
    if (have_steal) {
        printf("machine: %.1f %% of all CPUs' time stolen by the hypervisor\n",
               100.0 * (double) (steal1 - steal0) / (double) (total1 - total0));
    }
    return 0;
}
