#!/usr/bin/env bash
# Profiles one rustmq-perf run with async-profiler (from Maven Central, tools.profiler:async-profiler:4.1) in both
# the client JVM and the embedded broker's JVM, then prints where the CPU went in each process.
#
#   benchmarks/tools/profile.sh OUT_DIR MODE [rustmq-perf options...]
#   e.g. benchmarks/tools/profile.sh /tmp/prof produce --messages 3m --warmup-messages 1m
#
# Writes OUT_DIR/{client,broker}.collapsed and prints a breakdown by category (cpu-breakdown.py); FORMAT=html writes
# OUT_DIR/{client,broker}.html flame graphs instead. The profiles cover the whole run, warm-up included.
# Needs the built jar (mvn -B -q -pl benchmarks -am package -DskipTests) and python3 for the breakdown.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../target/rustmq-benchmarks.jar"
out="${1:?usage: profile.sh OUT_DIR MODE [options]}"; shift
mode="${1:?usage: profile.sh OUT_DIR MODE [options]}"; shift
mkdir -p "$out"
lib="$out/libasyncProfiler.so"
if [ ! -f "$lib" ]; then
  apjar="$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar"
  if [ ! -f "$apjar" ]; then
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dartifact=tools.profiler:async-profiler:4.1
  fi
  unzip -p "$apjar" linux-x64/libasyncProfiler.so > "$lib"
fi
ev="${EVENT:-cpu}"         # EVENT=itimer where perf_events are not allowed
fmt="${FORMAT:-collapsed}" # FORMAT=html for flame graphs instead of the text breakdown
agent() { echo "-agentpath:$lib=start,event=$ev,interval=1ms,threads,file=$out/$1.$fmt,$fmt"; }
java "$(agent client)" -jar "$jar" "$mode" "$@" --broker-jvm-opts "$(agent broker)"
if [ "$fmt" = collapsed ]; then
  for p in client broker; do
    if [ -f "$out/$p.collapsed" ]; then
      echo "=== CPU of the $p process, by category ==="
      python3 "$here/cpu-breakdown.py" "$out/$p.collapsed"
    fi
  done
fi
