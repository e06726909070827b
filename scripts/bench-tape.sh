#!/usr/bin/env bash
# Tapes at scale: time and peak memory of `dealer-book replay TAPE --json` end to end (read,
# parse, replay, print) on generated tapes, beside Python's `json.load` of the same file, in one
# run. Each figure is the median of RUNS runs (default 3); tapes are written to a temporary
# directory and deleted afterwards.
#
#   bash scripts/bench-tape.sh                   # 1,000,000 and 10,000,000 events
#   bash scripts/bench-tape.sh 100000            # any sizes
#   PROFILE=release bash scripts/bench-tape.sh   # another cargo profile (default: cli, the
#                                                # build the README installs; release is the
#                                                # browser's size-tuned opt-level "z")
#   BIN=/path/to/dealer-book bash scripts/bench-tape.sh   # measure another build
#
# Needs /usr/bin/time (Debian package `time`) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

profile=${PROFILE:-cli}
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000)

if [ ! -x /usr/bin/time ]; then
  echo "bench-tape: needs /usr/bin/time (apt-get install time)" >&2
  exit 1
fi
cargo build --quiet --profile "$profile" -p dealer-book-cli --bin dealer-book
cargo build --quiet --profile "$profile" -p dealer-book --example gen-tape
dir=target/$([ "$profile" = dev ] && echo debug || { [ "$profile" = bench ] && echo release || echo "$profile"; })
gen=$dir/examples/gen-tape
bin=${BIN:-$dir/dealer-book}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median of the numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# measure LABEL CMD...: prints "wall_s cpu_s peak_kb" medians over $runs runs
measure() {
  local walls=() cpus=() rss=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > /dev/null
    read -r w u s m < "$work/time"
    walls+=("$w"); cpus+=("$(echo "$u + $s" | bc -l)"); rss+=("$m")
  done
  printf '%s %s %s\n' \
    "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median)"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each, medians"
echo "dealer-book: $bin (profile $profile)"
# M events/s is given per wall second and per CPU second (user + sys): on a shared machine the
# wall figure includes waiting for a core, the CPU figure does not.
printf '%-11s %9s  %-34s %8s %8s %10s %10s %9s %9s\n' events "tape MB" tool "wall s" "CPU s" "Mev/s wall" "Mev/s CPU" "peak MB" "RSS/size"
for n in "${sizes[@]}"; do
  tape=$work/tape-$n.json
  "$gen" "$n" > "$tape"
  bytes=$(stat -c %s "$tape")
  row() {
    local tool=$1 wall=$2 cpu=$3 kb=$4
    printf '%-11s %9.1f  %-34s %8.2f %8.2f %10.2f %10.2f %9.0f %9.2f\n' "$n" "$(echo "$bytes / 1000000" | bc -l)" "$tool" \
      "$wall" "$cpu" "$(echo "$n / $wall / 1000000" | bc -l)" "$(echo "$n / $cpu / 1000000" | bc -l)" \
      "$(echo "$kb / 1024" | bc -l)" "$(echo "$kb * 1024 / $bytes" | bc -l)"
  }
  # shellcheck disable=SC2046
  row "dealer-book replay --json" $(measure "$bin" replay "$tape" --json)
  # shellcheck disable=SC2046
  row "python3 json.load (parse only)" $(measure python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tape")
  rm -f "$tape"
done
