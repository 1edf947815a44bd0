"""The seed's LeNet5 trained for one epoch in PyTorch: the other half of `npm run bench -- pytorch`.

A plain training loop and a test-set evaluation, as a person who ran the seed's script would
write it: FashionMNIST from the IDX files, pixels scaled to [0, 1], conv(1->6, 5x5, pad 2),
sigmoid, 2x2 average pool, conv(6->16, 5x5), sigmoid, 2x2 average pool, 400->120->84->10
(no activation between the dense layers, as in the seed), Adam, softmax cross-entropy, a
seeded shuffle. Timed by the caller as a whole process (interpreter start included); it prints
one JSON line with its own figures so the bench can show them too.

usage: lenet5_epoch.py --data-dir DIR [--epochs 1] [--batch-size 256] [--lr 0.001]
                       [--threads N] [--validation-fraction 0] [--seed 42]
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, header_ints):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=4 * header_ints)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{stem}(.gz) not found in {data_dir}")


def load(data_dir, kind):
    images = read_idx(find(data_dir, f"{kind}-images-idx3-ubyte"), 4).reshape(-1, 1, 28, 28)
    labels = read_idx(find(data_dir, f"{kind}-labels-idx1-ubyte"), 2)
    return (
        torch.from_numpy(images.astype(np.float32) / 255.0),
        torch.from_numpy(labels.astype(np.int64)),
    )


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.Sigmoid(),
        nn.AvgPool2d(2, 2),
        nn.Conv2d(6, 16, 5),
        nn.Sigmoid(),
        nn.AvgPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.Linear(120, 84),
        nn.Linear(84, 10),
    )


def accuracy(model, x, y):
    """Share of (x, y) the model gets right, evaluated 1,000 images at a time; leaves it training."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), 1000):
            correct += (model(x[i : i + 1000]).argmax(1) == y[i : i + 1000]).sum().item()
    model.train()
    return correct / max(len(y), 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--validation-fraction", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train = load(args.data_dir, "train")
    x_test, y_test = load(args.data_dir, "t10k")
    held_out = int(round(len(y_train) * args.validation_fraction))
    x_val, y_val = x_train[:held_out], y_train[:held_out]
    x_train, y_train = x_train[held_out:], y_train[held_out:]

    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()

    train_seconds = 0.0
    for _ in range(args.epochs):
        start = time.perf_counter()
        order = torch.randperm(len(y_train))
        loss_sum = 0.0
        for i in range(0, len(order), args.batch_size):
            index = order[i : i + args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
        train_seconds += time.perf_counter() - start
        if held_out:
            accuracy(model, x_val, y_val)
        test_accuracy = accuracy(model, x_test, y_test)

    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "trainImagesPerSec": len(y_train) * args.epochs / train_seconds,
                "trainLoss": loss_sum / len(y_train),
                "testAccuracy": test_accuracy,
            }
        )
    )


if __name__ == "__main__":
    main()
