#!/usr/bin/env bash
# Renders the back-to-spine network's training set with the randomized phantom (the lab's `bench grids`, in-range
# world, training seed 424242) and trains the CNN; writes models/ID.onnx, ID.card.json and ID.metrics.json.
#
#   bash models/train-spine-cnn.sh [CHILDREN] [ID]        (defaults: 1000 children, spine-centres-1)
#
# Grids are rendered in parts of 500 into $SPINESCAN_TRAIN_DIR (default artifacts/spine-cnn); a part already there is
# kept, so a second run only trains. Heavy work runs under `nice -n 10` (the build machine is shared).
set -euo pipefail
children=${1:-1000}
id=${2:-spine-centres-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${SPINESCAN_TRAIN_DIR:-$root/artifacts/spine-cnn}
part=500
started=$(date +%s)

if ! /usr/bin/python3 -c 'import torch, onnx, numpy' 2>/dev/null; then
  echo "Installing Debian's python3-torch and python3-onnx (needs root)."
  apt-get install -y python3-torch python3-onnx python3-numpy
fi

dotnet build -c Release "$root/models/SpineScan.Lab/SpineScan.Lab.csproj" -v q -nologo
lab="$root/models/SpineScan.Lab/bin/Release/net10.0/linux-x64/spinescan-lab"
mkdir -p "$work"
files=()
for ((first = 1; first <= children; first += part)); do
  count=$(( children - first + 1 < part ? children - first + 1 : part ))
  file="$work/grids-$first-$count.bin"
  if [[ ! -s "$file" ]]; then
    nice -n 10 "$lab" bench grids --first "$first" --count "$count" --out "$file"
  fi
  files+=("$file")
done
rendered=$(date +%s)
echo "Rendered $children training children in $(( (rendered - started) / 60 )) min."

nice -n 10 /usr/bin/python3 "$root/models/train_spine_cnn.py" --grids "${files[@]}" --out "$root/models" --id "$id" \
  --children "$children" --command "bash models/train-spine-cnn.sh $children $id" \
  --reference "$root/tests/SpineScan.Inference.Tests/Data/$id.reference.json"
echo "Rendering and training took $(( ($(date +%s) - started) / 60 )) min on $(nproc) cores."
