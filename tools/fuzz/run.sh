#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with SharpFuzz + afl++ (see tools/fuzz/README.md).
# usage: tools/fuzz/run.sh <bash|policy|stream-json|script|text-protocol|ws> [seconds, default 600]
# Not run in CI: it needs afl++ and minutes of CPU. Findings land in tools/fuzz/findings/<target>/.
set -euo pipefail

targets=(bash policy stream-json script text-protocol ws)
usage() { echo "usage: $0 <${targets[*]// /|}> [seconds]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
target=$1
seconds=${2:-600}
valid=0
for t in "${targets[@]}"; do [[ $t == "$target" ]] && valid=1; done
[[ $valid == 1 ]] || usage
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "seconds must be a positive integer, got '$seconds'" >&2; exit 2; }

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)
tool_path="$here/.tools"
out="$here/out"
findings="$here/findings/$target"
corpus="$here/corpus/$target"
sharpfuzz_version=2.3.0

# 1. afl++ (Debian package) and the sharpfuzz instrumenter (a dotnet tool in a local tool path).
if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "== installing afl++"
    if [[ $(id -u) == 0 ]]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq afl++
fi
if [[ ! -x "$tool_path/sharpfuzz" ]]; then
    echo "== installing SharpFuzz.CommandLine $sharpfuzz_version into $tool_path"
    dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$tool_path"
fi

# 2. Publish the harness afresh (sharpfuzz refuses an already instrumented assembly) and instrument
#    the assemblies whose code is fuzzed. Coverage is only collected from these two.
#    FUZZ_REUSE_BUILD=1 keeps an instrumented build from an earlier run (several targets in a row).
if [[ ${FUZZ_REUSE_BUILD:-0} == 1 && -f "$out/.instrumented" ]]; then
    echo "== reusing the instrumented build in $out"
else
    echo "== publishing the harness"
    rm -rf -- "$out"
    dotnet publish "$here/Overseer.Fuzz/Overseer.Fuzz.csproj" -c Release -o "$out" --nologo -v quiet
    for dll in Overseer.Contracts.dll Overseer.Core.dll; do
        echo "== instrumenting $dll"
        "$tool_path/sharpfuzz" "$out/$dll"
    done
    touch -- "$out/.instrumented"
fi

# 3. Fuzz for the budget. The target is `dotnet`, which has no afl instrumentation of its own
#    (SharpFuzz speaks afl's fork-server protocol from managed code), hence AFL_SKIP_BIN_CHECK.
mkdir -p -- "$findings"
export AFL_SKIP_BIN_CHECK=1
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_AUTORESUME=1
export AFL_NO_UI=1
export AFL_NO_AFFINITY=1
log="$findings/afl-fuzz.log"
echo "== fuzzing '$target' for ${seconds}s (corpus $corpus, findings $findings, log $log)"
status=0
timeout --signal=INT --kill-after=30 "$((seconds + 60))" \
    afl-fuzz -V "$seconds" -i "$corpus" -o "$findings" -t 5000 -m none \
    -- dotnet "$out/Overseer.Fuzz.dll" "$target" >"$log" 2>&1 || status=$?
# afl-fuzz ends with 0 after -V; timeout's 124 means it overran the budget and was stopped.
if [[ $status != 0 && $status != 124 ]]; then
    grep -v 'Fuzzing test case' -- "$log" | tail -n 40 >&2
    echo "afl-fuzz exited with $status (full log: $log)" >&2
    exit "$status"
fi

# 4. Report.
count() { find "$1" -maxdepth 1 -type f -name 'id:*' 2>/dev/null | wc -l; }
stats="$findings/default/fuzzer_stats"
if [[ -f $stats ]]; then
    grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) ' "$stats" || true
fi
crashes=$(count "$findings/default/crashes")
hangs=$(count "$findings/default/hangs")
echo "== $target: $crashes crash(es) in $findings/default/crashes, $hangs hang(s) in $findings/default/hangs"
if [[ $crashes != 0 ]]; then
    # Not with the build in $out: its instrumented code writes to afl's shared memory, absent outside afl-fuzz.
    echo "replay them: dotnet run --project $here/Overseer.Fuzz -c Release -- $target --replay $findings/default/crashes/id:*"
fi
