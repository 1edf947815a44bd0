"""A studio preset's recipe in PyTorch, end to end: the other half of `npm run bench -- pytorch --preset P`.

The bench passes the preset's hyperparameters as JSON (from src/shared/hyperparams.ts, so both
sides read the same numbers) and this script does what the studio's trainer does with them:

- FashionMNIST from the IDX files, pixels scaled to [0, 1]; a seeded validation split of
  `validationFraction` of the 60,000 training images (evaluated each epoch, as the studio does),
  `trainSubset` images when non-zero;
- LeNet5 row for row as `layerSpec` (src/shared/lenet.ts) lays it out: C1 (conv 5x5 to `c1Maps`,
  padded by 2; or the image zero-padded to 32x32 and C1 unpadded), [BatchNorm2d], activation,
  2x2 pool (avg or max), C3 (conv 5x5 to `c3Maps`), [BatchNorm2d], activation, pool, C5 (flatten +
  Linear to `c5Units`, or a 5x5 conv to `c5Units` maps then flatten), [BatchNorm], [activation],
  [Dropout], F6 (Linear to `f6Units`), [BatchNorm1d], [activation], [Dropout], Linear to 10.
  Batch norm ('conv': after C1 and C3; 'all': after C5 and F6 too) comes before the activation,
  with PyTorch's defaults (eps 1e-5, momentum 0.1: the studio's); dropout (`dropout` > 0) after
  C5's and F6's activation, training only. The dense activation 'none' means no layer;
- PyTorch's default initialisation (the studio reproduces it with its own seeded draws);
- the optimizer with the preset's learning rate (Adam: betas 0.9/0.999, eps 1e-8, as the studio),
  L2 weight decay on weights of rank >= 2 only (the studio's: kernels, not biases nor batch
  norm's gamma and beta), the studio's learning-rate schedule set once per epoch;
- softmax cross-entropy on targets smoothed by `labelSmoothing` ε ((1 − ε)·one-hot + ε/10, which
  is what `nn.CrossEntropyLoss(label_smoothing=ε)` trains on), a seeded shuffle every epoch,
  batch `batchSize`;
- augmentation of each training batch as src/core/engine/augment.ts does it: each image mirrored
  left-right with probability 1/2 (`augmentFlip` 'horizontal'), then moved by whole pixels dx, dy
  each uniform in -N..N (`augmentShift` N), zero fill. Drawn with torch's generator (the studio
  draws from its own stream: the same distribution, not the same images);
- the model in train mode while training and in eval mode while evaluating (batch norm's moving
  averages, no dropout), and `earlyStoppingPatience` as the studio's trainer applies it;
- after each epoch, the test set evaluated (and the validation set, if any); one JSON line per
  epoch, flushed, so the bench can time when each epoch's accuracy was known.

Anything else in the JSON is refused with a message naming the field (SystemExit), never
ignored: a field this script skipped would have the bench time two different pieces of work.

usage: lenet5_preset.py --config JSON --data-dir DIR [--threads N]
       lenet5_preset.py --config JSON --count-params   (the network's trainable parameters, as JSON:
                                                        {"trainableParams": N, "layers": [[module, N], ...]})
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F
from torch import nn

from lenet5_epoch import accuracy, load  # the same IDX reading and evaluation as the one-epoch comparison
from preset_config import checked_config


MODULES = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}
CLASSES = 10


def lenet5(model):
    """The network of `layerSpec(model)` (src/shared/lenet.ts), one module per row, in its order."""
    conv_act = MODULES[model["convActivation"]]

    def dense_act():
        return [MODULES[model["denseActivation"]]()] if model["denseActivation"] != "none" else []

    pool = nn.MaxPool2d if model["pooling"] == "max" else nn.AvgPool2d
    c1, c3, c5, f6 = model["c1Maps"], model["c3Maps"], model["c5Units"], model["f6Units"]
    conv_norm = model["batchNorm"] in ("conv", "all")
    dense_norm = model["batchNorm"] == "all"

    def dropout():
        return [nn.Dropout(model["dropout"])] if model["dropout"] > 0 else []

    def conv_block(conv, maps):
        return [conv, *([nn.BatchNorm2d(maps)] if conv_norm else []), conv_act(), pool(2, 2)]

    # 28: C1 pads by 2 to keep 28x28 (the seed); 32: the image padded to 32x32, C1 unpadded (LeCun).
    first = [nn.Conv2d(1, c1, 5, padding=2)] if model["inputSize"] == 28 else [nn.ZeroPad2d(2), nn.Conv2d(1, c1, 5)]
    layers = [*first[:-1], *conv_block(first[-1], c1), *conv_block(nn.Conv2d(c1, c3, 5), c3)]
    # S4 leaves c3 maps of 5x5 either way; C5 reads all of them.
    if model["c5"] == "conv":
        layers += [nn.Conv2d(c3, c5, 5), *([nn.BatchNorm2d(c5)] if dense_norm else []), *dense_act(), nn.Flatten()]
    else:
        layers += [nn.Flatten(), nn.Linear(c3 * 5 * 5, c5), *([nn.BatchNorm1d(c5)] if dense_norm else []), *dense_act()]
    layers += dropout()
    layers += [nn.Linear(c5, f6), *([nn.BatchNorm1d(f6)] if dense_norm else []), *dense_act(), *dropout()]
    return nn.Sequential(*layers, nn.Linear(f6, CLASSES))


def trainable_parameters(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def describe(network):
    """
    The network as the bench compares it with the studio's layer table: each module's class name
    and trainable parameters, in order, and their total, from torch's own count; after a forward
    pass of two blank images in eval mode, so a network whose shapes do not fit fails here.
    """
    network.eval()
    with torch.no_grad():
        logits = network(torch.zeros(2, 1, 28, 28))
    if tuple(logits.shape) != (2, CLASSES):
        raise SystemExit(f"lenet5_preset.py: the network gives {tuple(logits.shape)} for 2 images, not (2, {CLASSES})")
    layers = [[type(m).__name__, trainable_parameters(m)] for m in network]
    return {"trainableParams": trainable_parameters(network), "layers": layers}


def shifted(images, dx, dy, mirror):
    """
    augment.ts's `augmentImages` on a batch [B, 1, S, S]: out(y, x) = in'(y - dy, x - dx), 0 where
    that falls outside the image, with in' = in mirrored left-right (in'(y, x) = in(y, S - 1 - x))
    for the images where `mirror` is true. One gather from a zero-padded copy, no loop over images.
    """
    count, _, side, _ = images.shape
    pad = int(max(dx.abs().max().item(), dy.abs().max().item(), 0))
    padded = F.pad(images[:, 0], (pad, pad, pad, pad))
    position = torch.arange(side)
    rows = position[None, :] - dy[:, None]
    columns = position[None, :] - dx[:, None]
    # Mirroring maps column c of in' to S - 1 - c of in; a column outside the image stays outside.
    columns = torch.where(mirror[:, None], side - 1 - columns, columns)
    out = padded[torch.arange(count)[:, None, None], rows[:, :, None] + pad, columns[:, None, :] + pad]
    return out[:, None]


def augment(images, max_shift, flip):
    """Each image mirrored with probability 1/2 when `flip`, then moved by dx, dy uniform in -max_shift..max_shift."""
    count = images.shape[0]
    dx = torch.randint(-max_shift, max_shift + 1, (count,))
    dy = torch.randint(-max_shift, max_shift + 1, (count,))
    mirror = torch.rand(count) < 0.5 if flip else torch.zeros(count, dtype=torch.bool)
    return shifted(images, dx, dy, mirror)


def training_loss(smoothing):
    """Cross-entropy on targets (1 - smoothing)·one-hot + smoothing/10: the studio's objective (src/core/engine/loss.ts)."""
    return nn.CrossEntropyLoss(label_smoothing=smoothing)


def optimizer_for(config, model):
    decayed = [p for p in model.parameters() if p.dim() >= 2]
    others = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decayed, "weight_decay": config["weightDecay"]}, {"params": others, "weight_decay": 0.0}]
    lr, name = config["learningRate"], config["optimizer"]
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(groups, lr=lr, momentum=config["momentum"])
    return torch.optim.RMSprop(groups, lr=lr, alpha=config["momentum"], eps=1e-8)


def learning_rate_at(config, epoch):
    """The studio's schedule (src/core/engine/schedule.ts), epoch 1-based."""
    e, lr = epoch - 1, config["learningRate"]
    if config["lrSchedule"] == "step":
        return lr * config["lrGamma"] ** (e // config["lrStepEpochs"])
    if config["lrSchedule"] == "cosine":
        return lr * 0.5 * (1 + math.cos(math.pi * e / config["epochs"]))
    return lr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, help="the preset's hyperparameters as JSON")
    parser.add_argument("--data-dir", help="the FashionMNIST IDX files (required to train)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument(
        "--count-params",
        action="store_true",
        help="print the network's trainable parameters (in all and per layer) as JSON and exit",
    )
    args = parser.parse_args()
    config = checked_config(json.loads(args.config))

    if args.count_params:
        print(json.dumps(describe(lenet5(config["model"]))))
        return
    if not args.data_dir:
        parser.error("--data-dir is required to train")

    torch.set_num_threads(args.threads)
    torch.manual_seed(config["seed"])
    x_all, y_all = load(args.data_dir, "train")
    x_test, y_test = load(args.data_dir, "t10k")
    split = torch.randperm(len(y_all), generator=torch.Generator().manual_seed(config["seed"]))
    held_out = int(round(len(y_all) * config["validationFraction"]))
    x_val, y_val = x_all[split[:held_out]], y_all[split[:held_out]]
    train_index = split[held_out:]
    if config["trainSubset"]:
        train_index = train_index[: config["trainSubset"]]
    x_train, y_train = x_all[train_index], y_all[train_index]

    model = lenet5(config["model"])
    optimizer = optimizer_for(config, model)
    smoothing = config["labelSmoothing"]
    loss_fn = training_loss(smoothing)
    max_shift, flip = config["augmentShift"], config["augmentFlip"] == "horizontal"
    augmented = max_shift > 0 or flip

    batch = config["batchSize"]
    best, since_best, patience = -1.0, 0, config["earlyStoppingPatience"]
    for epoch in range(1, config["epochs"] + 1):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(config, epoch)
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(y_train))
        loss_sum = 0.0
        for i in range(0, len(order), batch):
            index = order[i : i + batch]
            images, labels = x_train[index], y_train[index]
            if augmented:
                images = augment(images, max_shift, flip)
            optimizer.zero_grad()
            logits = model(images)
            loss = loss_fn(logits, labels)
            loss.backward()
            optimizer.step()
            # The studio reports the cross-entropy against the plain labels, smoothed or not.
            plain = F.cross_entropy(logits.detach(), labels) if smoothing else loss
            loss_sum += plain.item() * len(index)
        train_seconds = time.perf_counter() - start
        validation = accuracy(model, x_val, y_val) if held_out else None  # eval mode inside
        test = accuracy(model, x_test, y_test)
        line = {
            "epoch": epoch,
            "trainLoss": loss_sum / len(y_train),
            "trainImagesPerSec": len(y_train) / train_seconds,
            "validationAccuracy": validation,
            "testAccuracy": test,
        }
        print(json.dumps(line), flush=True)
        # The studio's early stopping: judged on validation accuracy, else on test accuracy.
        selected = test if validation is None else validation
        best, since_best = (selected, 0) if selected > best else (best, since_best + 1)
        if patience and since_best >= patience:
            break


if __name__ == "__main__":
    main()
