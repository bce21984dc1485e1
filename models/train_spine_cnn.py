"""Trains the back-to-spine network on the lab's back grids and writes the ONNX file, its card and its metrics.

Run by models/train-spine-cnn.sh (which renders the grids first); by hand:
    /usr/bin/python3 models/train_spine_cnn.py --grids G1.bin [G2.bin ...] --out models --id spine-centres-1

Input: the grids written by `spinescan-lab bench grids` (format in models/SpineScan.Lab/Bench/GridSet.cs).
Output, in --out: ID.onnx (opset 17, input `grid` [n, 4, 64, 32], output `centres` [n, 54]: lateral shares, sagittal
shares and lateral sigmas of C7..L5), ID.card.json (the model card, with the SHA-256 of the .onnx) and
ID.metrics.json (training and validation figures).
"""

import argparse
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

MAGIC = b"SSGRID1\n"
LEVELS = 18
# Targets are shares of the trunk length (lateral: about +/-0.1, sagittal: about -0.2); the network learns them scaled
# to about unit size, and the exported graph scales them back.
LATERAL_SCALE = 10.0
SAGITTAL_SCALE = 5.0
SAGITTAL_CENTRE = -0.15
NOMINAL_TRUNK_MM = 450.0  # to quote share errors in millimetres for a typical trunk


def read_grids(paths):
    grids, targets, classical, seeds, cobbs = [], [], [], [], []
    for path in paths:
        data = open(path, "rb").read()
        if data[:8] != MAGIC:
            sys.exit(f"error: {path} is not a grid set from `spinescan-lab bench grids` (wrong magic).")
        count, channels, rows, columns, levels = struct.unpack("<5i", data[8:28])
        if levels != LEVELS:
            sys.exit(f"error: {path} has {levels} levels; this trainer expects {LEVELS}.")
        grid_len = channels * rows * columns
        record = 8 + 4 * (grid_len + 3 * levels)
        if len(data) != 28 + count * record:
            sys.exit(f"error: {path} is truncated or damaged ({len(data)} bytes for {count} children).")
        body = data[28:]
        head = np.frombuffer(body, dtype=np.dtype([("seed", "<i4"), ("cobb", "<f4"), ("values", "<f4", grid_len + 3 * levels)]), count=count)
        seeds.append(head["seed"])
        cobbs.append(head["cobb"])
        values = head["values"]
        grids.append(values[:, :grid_len].reshape(count, channels, rows, columns))
        targets.append(values[:, grid_len:grid_len + 2 * levels])
        classical.append(values[:, grid_len + 2 * levels:])
    return (np.concatenate(grids), np.concatenate(targets), np.concatenate(classical), np.concatenate(seeds), np.concatenate(cobbs), (channels, rows, columns))


class SpineCnn(nn.Module):
    """Three conv stages (16, 32, 64 channels) and a fully connected head to the 18 levels' three numbers."""

    def __init__(self, channels):
        super().__init__()

        def stage(cin, cout):
            return nn.Sequential(
                nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                nn.MaxPool2d(2))

        self.features = nn.Sequential(stage(channels, 16), stage(16, 32), stage(32, 64))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(64 * 8 * 4, 128), nn.ReLU(), nn.Linear(128, 3 * LEVELS))

    def forward(self, x):
        return self.head(self.features(x))


class Exported(nn.Module):
    """The trained network with its output scaling: lateral and sagittal shares of the trunk length, lateral sigma."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, grid):
        raw = self.net(grid)
        lateral = raw[:, :LEVELS] / LATERAL_SCALE
        sagittal = raw[:, LEVELS:2 * LEVELS] / SAGITTAL_SCALE + SAGITTAL_CENTRE
        sigma = torch.exp(torch.clamp(raw[:, 2 * LEVELS:], -6.0, 3.0)) / LATERAL_SCALE
        return torch.cat([lateral, sagittal, sigma], dim=1)


def mirrored(grids, targets):
    """The child's mirror image: columns reversed, the normal's lateral component and the lateral targets negated."""
    g = grids[..., ::-1].copy()
    g[:, 2] = -g[:, 2]
    t = targets.copy()
    t[:, :LEVELS] = -t[:, :LEVELS]
    return g, t


def loss_of(raw, target):
    lateral = target[:, :LEVELS] * LATERAL_SCALE
    sagittal = (target[:, LEVELS:] - SAGITTAL_CENTRE) * SAGITTAL_SCALE
    mu, log_sigma = raw[:, :LEVELS], torch.clamp(raw[:, 2 * LEVELS:], -6.0, 3.0)
    nll = 0.5 * ((lateral - mu) / torch.exp(log_sigma)) ** 2 + log_sigma
    return nll.mean() + ((raw[:, LEVELS:2 * LEVELS] - sagittal) ** 2).mean() + 0.5 * ((mu - lateral) ** 2).mean()


def predict(model, grids, batch=256):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(grids), batch):
            out.append(model(torch.from_numpy(grids[i:i + batch])).numpy())
    return np.concatenate(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grids", nargs="+", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--id", default="spine-centres-1")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--command", default="bash models/train-spine-cnn.sh")
    parser.add_argument("--world", default="in-range")
    parser.add_argument("--children", type=int, default=0, help="children rendered (measured ones are in the grids)")
    parser.add_argument("--reference", help="also write one validation child's grid and PyTorch's answer here (the inference test's known answer)")
    args = parser.parse_args()

    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    grids, targets, classical, seeds, cobbs, shape = read_grids(args.grids)
    n = len(grids)
    if n < 50:
        sys.exit(f"error: {n} children are too few to train on; render at least 50.")

    order = rng.permutation(n)
    held = max(1, n // 10)
    val, train = order[:held], order[held:]
    mg, mt = mirrored(grids[train], targets[train])
    train_grids = np.concatenate([grids[train], mg])
    train_targets = np.concatenate([targets[train], mt])

    net = SpineCnn(shape[0])
    optimiser = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=2e-3, total_steps=args.epochs * ((len(train_grids) + 63) // 64))
    tg, tt = torch.from_numpy(train_grids), torch.from_numpy(train_targets)
    for epoch in range(args.epochs):
        net.train()
        perm = torch.randperm(len(tg))
        total = 0.0
        for i in range(0, len(tg), 64):
            idx = perm[i:i + 64]
            optimiser.zero_grad()
            loss = loss_of(net(tg[idx]), tt[idx])
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
        if epoch % 10 == 9 or epoch == args.epochs - 1:
            p = predict(Exported(net), grids[val])
            mae = np.abs(p[:, :LEVELS] - targets[val][:, :LEVELS]).mean() * NOMINAL_TRUNK_MM
            print(f"epoch {epoch + 1}: loss {total / len(tg):.4f}, validation lateral MAE {mae:.2f} mm (at a {NOMINAL_TRUNK_MM:.0f} mm trunk)", flush=True)

    exported = Exported(net).eval()
    p = predict(exported, grids[val])
    lateral_error = np.abs(p[:, :LEVELS] - targets[val][:, :LEVELS]).mean(axis=1)
    classical_error = np.abs(classical[val] - targets[val][:, :LEVELS]).mean(axis=1)
    sagittal_error = np.abs(p[:, LEVELS:2 * LEVELS] - targets[val][:, LEVELS:]).mean(axis=1)
    sigma = np.median(p[:, 2 * LEVELS:], axis=1)

    # The fallback: the capture uses the classical centres when the model's median sigma exceeds the threshold. Chosen on
    # the validation children as the threshold that gives the smallest mixed lateral error.
    candidates = np.unique(np.concatenate([np.quantile(sigma, np.linspace(0.05, 1.0, 96)), [np.inf]]))
    mixed = [np.where(sigma <= t, lateral_error, classical_error).mean() for t in candidates]
    best = int(np.argmin(mixed))
    threshold = float(candidates[best]) if np.isfinite(candidates[best]) else float(sigma.max() * 10)
    used = float((sigma <= threshold).mean())

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, args.id + ".onnx")
    temporary = onnx_path + ".tmp"
    torch.onnx.export(exported, torch.zeros(1, *shape), temporary, opset_version=17, input_names=["grid"], output_names=["centres"],
                      dynamic_axes={"grid": {0: "n"}, "centres": {0: "n"}}, do_constant_folding=True)
    import onnx
    model = onnx.load(temporary)
    for key, value in {"spinescan.grid": f"BackGrid {shape[0]}x{shape[1]}x{shape[2]}", "spinescan.maxTrustedSigma": repr(threshold),
                       "spinescan.outputs": "lateral share C7..L5, sagittal share C7..L5, lateral sigma C7..L5"}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, temporary)
    os.replace(temporary, onnx_path)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    minutes = (time.time() - started) / 60

    metrics = {
        "id": args.id, "children": int(n), "trainingChildren": int(len(train)), "validationChildren": int(held),
        "epochs": args.epochs, "trainingMinutes": round(minutes, 1), "fileBytes": os.path.getsize(onnx_path),
        "validationLateralMaeMm": round(float(lateral_error.mean() * NOMINAL_TRUNK_MM), 2),
        "validationClassicalLateralMaeMm": round(float(classical_error.mean() * NOMINAL_TRUNK_MM), 2),
        "validationSagittalMaeMm": round(float(sagittal_error.mean() * NOMINAL_TRUNK_MM), 2),
        "maxTrustedSigma": threshold, "validationShareUsingModel": round(used, 3),
        "validationMixedLateralMaeMm": round(float(mixed[best] * NOMINAL_TRUNK_MM), 2),
        "note": f"millimetres at a nominal {NOMINAL_TRUNK_MM:.0f} mm trunk (errors are learned as shares of each child's trunk length)",
    }
    with open(os.path.join(args.out, args.id + ".metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")

    card = {
        "schema": "spinescan.model-card/1",
        "id": args.id,
        "kind": "spine-centres",
        "file": args.id + ".onnx",
        "sha256": sha,
        "description": ("A compact CNN (three conv stages, 16-32-64 channels, and a 128-unit head) from the standing back's grid "
                        f"(BackGrid: {shape[0]} channels x {shape[1]} rows x {shape[2]} columns: height over the back plane, mean curvature, the normal's "
                        "lateral component, the validity mask) to the lateral and sagittal position of each vertebral-body centre C7-L5, with "
                        "the lateral position's uncertainty. ONNX opset 17; input 'grid' [n,4,64,32], output 'centres' [n,54]."),
        "command": args.command,
        "training": {"world": args.world, "batchSeed": 424242, "children": int(args.children or n), "measured": int(n)},
        "metrics": [
            {"name": "lateral_centre_mae_mm", "value": metrics["validationLateralMaeMm"], "world": args.world, "seed": 424242, "count": int(held),
             "command": "validation tenth of the training children (not trained on): " + args.command},
            {"name": "classical_lateral_centre_mae_mm", "value": metrics["validationClassicalLateralMaeMm"], "world": args.world, "seed": 424242, "count": int(held),
             "command": "the same children read by spinal-line-1: " + args.command},
        ],
        "limits": [
            "Trained on synthetic backs from the randomized phantom only (in-range world); never validated on children.",
            "A screening aid, not a diagnosis: a radiograph decides.",
            "Measured against the classical path on the held-out worlds in models/README.md; the analysis falls back to the classical centres when the model's median lateral sigma exceeds its maxTrustedSigma (ONNX metadata).",
        ],
    }
    with open(os.path.join(args.out, args.id + ".card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    if args.reference:
        grid = grids[val[:1]]
        answer = predict(exported, grid)[0]
        os.makedirs(os.path.dirname(os.path.abspath(args.reference)), exist_ok=True)
        with open(args.reference, "w") as f:
            json.dump({"model": args.id, "sha256": sha, "seed": int(seeds[val[0]]), "grid": [float(v) for v in grid.reshape(-1)],
                       "centres": [float(v) for v in answer]}, f)
            f.write("\n")
    print(json.dumps(metrics, indent=2))
    print(f"Wrote {onnx_path} (SHA-256 {sha}) and its card in {minutes:.1f} min.")


if __name__ == "__main__":
    main()
