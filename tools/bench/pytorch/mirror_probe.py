"""Pieces of lenet5_preset.py run on given inputs, for tools/bench/pytorch-mirror-check.ts to hold against the studio.

Reads one JSON object on stdin and prints one JSON object:
- {"probe": "shift", "side": S, "images": [...], "dx": [...], "dy": [...], "mirror": [...]}
  -> {"images": [...]}: `shifted` on the images (row-major, one after another);
- {"probe": "draws", "count": N, "maxShift": M, "flip": bool, "row": r, "column": c}
  -> {"positions": [...]}: `augment` on N blank 28x28 images with one lit pixel at (r, c), and
  where (row * 28 + column) the pixel is in each augmented image (-1 when it left the image);
- {"probe": "loss", "logits": [[...]], "labels": [...], "epsilon": e}
  -> {"loss": x}: lenet5_preset.py's training loss on those logits;
- {"probe": "modes", "config": {...}} -> {"repeatable": bool, "statsKept": bool, "trainingAfter": bool}:
  `accuracy` twice on the same images (equal with dropout on: eval mode), batch norm's moving
  averages after it (unchanged: eval mode), and whether the model is training again after.
"""
import json
import sys

import torch
from torch import nn

from lenet5_epoch import accuracy
from lenet5_preset import augment, lenet5, shifted, training_loss
from preset_config import checked_config


def shift(job):
    side = job["side"]
    images = torch.tensor(job["images"], dtype=torch.float32).reshape(-1, 1, side, side)
    out = shifted(images, torch.tensor(job["dx"]), torch.tensor(job["dy"]), torch.tensor(job["mirror"]))
    return {"images": out.flatten().tolist()}


def draws(job):
    torch.manual_seed(job.get("seed", 0))
    images = torch.zeros(job["count"], 1, 28, 28)
    images[:, 0, job["row"], job["column"]] = 1.0
    flat = augment(images, job["maxShift"], job["flip"]).flatten(1)
    positions = torch.where(flat.max(1).values > 0, flat.argmax(1), torch.full((len(flat),), -1))
    return {"positions": positions.tolist()}


def loss(job):
    value = training_loss(job["epsilon"])(torch.tensor(job["logits"], dtype=torch.float32), torch.tensor(job["labels"]))
    return {"loss": value.item()}


def modes(job):
    torch.manual_seed(0)
    model = lenet5(checked_config(job["config"])["model"])
    norms = [m for m in model if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    images, labels = torch.rand(200, 1, 28, 28), torch.randint(0, 10, (200,))
    model.train()
    model(images)  # one training pass, so the moving averages are not their initial 0 and 1
    before = [m.running_mean.clone() for m in norms]
    first, second = accuracy(model, images, labels), accuracy(model, images, labels)
    kept = all(torch.equal(b, m.running_mean) for b, m in zip(before, norms))
    return {"repeatable": first == second, "statsKept": kept and bool(norms), "trainingAfter": model.training}


if __name__ == "__main__":
    job = json.load(sys.stdin)
    print(json.dumps({"shift": shift, "draws": draws, "loss": loss, "modes": modes}[job["probe"]](job)))
