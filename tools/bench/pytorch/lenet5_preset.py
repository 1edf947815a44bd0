"""A studio preset's recipe in PyTorch, end to end: the other half of `npm run bench -- pytorch --preset P`.

The bench passes the preset's hyperparameters as JSON (from src/shared/hyperparams.ts, so both
sides read the same numbers) and this script does what the studio's trainer does with them:

- FashionMNIST from the IDX files, pixels scaled to [0, 1]; a seeded validation split of
  `validationFraction` of the 60,000 training images (evaluated each epoch, as the studio does),
  `trainSubset` images when non-zero;
- LeNet5 as the preset's model options say: conv(1->6, 5x5, pad 2), activation, 2x2 pool (avg or
  max), conv(6->16, 5x5), activation, pool, C5 (flatten + 400->120, or a 5x5 conv to 120 maps),
  84, 10, with the dense activation between C5, F6 and the output ('none' = no layer);
- PyTorch's default initialisation (the studio reproduces it with its own seeded draws);
- the optimizer with the preset's learning rate (Adam: betas 0.9/0.999, eps 1e-8, as the studio),
  L2 weight decay on weights of rank >= 2 only (the studio's: kernels, not biases), the learning
  rate schedule stepped once per epoch (cosine: CosineAnnealingLR(T_max=epochs); step: StepLR);
- softmax cross-entropy, a seeded shuffle every epoch, batch `batchSize`;
- after each epoch, the test set evaluated (and the validation set, if any); one JSON line per
  epoch, flushed, so the bench can time when each epoch's accuracy was known.

usage: lenet5_preset.py --data-dir DIR --config JSON [--threads N]
"""
import argparse
import json
import math
import os
import time

import torch
from torch import nn

from lenet5_epoch import accuracy, load  # the same IDX reading and evaluation as the one-epoch comparison


ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


def lenet5(model):
    conv_act = ACTIVATIONS[model["convActivation"]]
    pool = nn.MaxPool2d if model["pooling"] == "max" else nn.AvgPool2d
    dense_act = ACTIVATIONS.get(model["denseActivation"])
    act = [dense_act()] if dense_act else []
    if model.get("inputSize", 28) != 28:
        raise SystemExit("only the 28x28 input is implemented here")
    c5 = [nn.Flatten(), nn.Linear(400, 120)] if model["c5"] == "dense" else [nn.Conv2d(16, 120, 5), nn.Flatten()]
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        conv_act(),
        pool(2, 2),
        nn.Conv2d(6, 16, 5),
        conv_act(),
        pool(2, 2),
        *c5,
        *act,
        nn.Linear(120, 84),
        *act,
        nn.Linear(84, 10),
    )


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
    if name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=lr, alpha=config["momentum"], eps=1e-8)
    raise SystemExit(f"unknown optimizer {name}")


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
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--config", required=True, help="the preset's hyperparameters as JSON")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    config = json.loads(args.config)

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
    loss_fn = nn.CrossEntropyLoss()

    batch = config["batchSize"]
    for epoch in range(1, config["epochs"] + 1):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(config, epoch)
        start = time.perf_counter()
        order = torch.randperm(len(y_train))
        loss_sum = 0.0
        for i in range(0, len(order), batch):
            index = order[i : i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
        train_seconds = time.perf_counter() - start
        validation = accuracy(model, x_val, y_val) if held_out else None
        line = {
            "epoch": epoch,
            "trainLoss": loss_sum / len(y_train),
            "trainImagesPerSec": len(y_train) / train_seconds,
            "validationAccuracy": validation,
            "testAccuracy": accuracy(model, x_test, y_test),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
