#!/usr/bin/env bash
# Self-contained builds of the device host `spinescan` (no .NET on the appliance), one folder and one tarball per RID:
#   firmware-host/publish.sh [OUT_DIR] [RID ...]        default: out/publish, linux-x64 linux-arm64
# Each build carries the commit (spinescan --version), the models and the kiosk's assets. linux-arm64 has no OpenCV
# native library (the registry serves none): spinescan says so in one line and uses its managed PNG codec.
# The script checks what it made: the x64 build answers --version here; the arm64 one is an aarch64 executable.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-$root/out/publish}")
shift || true
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
mkdir -p "$out"

for rid in "${rids[@]}"; do
    case "$rid" in linux-x64|linux-arm64) ;; *) echo "publish.sh: $rid is not a supported target (linux-x64, linux-arm64)" >&2; exit 2 ;; esac
    target="$out/$rid"
    rm -rf "$target"
    dotnet publish "$root/firmware-host/SpineScan.Host" -c Release -r "$rid" --self-contained true \
        -p:SourceRevisionId="$commit" -o "$target" -v quiet -nologo
    [ -x "$target/spinescan" ] || { echo "publish.sh: $target/spinescan is missing" >&2; exit 1; }
    [ -d "$target/models" ] || { echo "publish.sh: $target/models is missing" >&2; exit 1; }
    machine=$(od -An -t x2 -j 18 -N 2 "$target/spinescan" | tr -d ' ')   # ELF e_machine: 003e x86-64, 00b7 aarch64
    case "$rid:$machine" in
        linux-x64:003e)
            "$target/spinescan" --version | grep -q "^commit $commit$" || { echo "publish.sh: $rid --version does not name $commit" >&2; exit 1; } ;;
        linux-arm64:00b7)
            [ ! -e "$target/libOpenCvSharpExtern.so" ] || { echo "publish.sh: an x64 OpenCV library landed in the arm64 build" >&2; exit 1; } ;;
        *) echo "publish.sh: $target/spinescan is for machine $machine, not $rid" >&2; exit 1 ;;
    esac
    tar -C "$out" -czf "$out/spinescan-$rid.tar.gz" "$rid"
    printf '%s\t%s folder, %s tar.gz\n' "$rid" "$(du -sh "$target" | cut -f1)" "$(du -sh "$out/spinescan-$rid.tar.gz" | cut -f1)"
done
