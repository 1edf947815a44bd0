"""The checks lenet5_preset.py makes of a studio configuration before it trains, without torch.

Every field of src/shared/hyperparams.ts the script reads is named here; anything else (an
unknown field, a value the script does not implement) is refused with a message naming the
field, never ignored: a field the PyTorch side skipped would have the bench time two different
pieces of work. No torch import, so a refused configuration costs nothing and the checks run
(and are tested) where torch is not installed.

usage: preset_config.py --config JSON   (prints the configuration with older configs' defaults filled in)
"""
import argparse
import json

ACTIVATIONS = ["sigmoid", "tanh", "relu"]

# Fields added to the studio's schema after runs were stored, with the value an older config
# means (zod's defaults in src/shared/hyperparams.ts); every other field must be in the JSON.
MODEL_DEFAULTS = {
    "architecture": "lenet5",
    "output": "softmax",
    "c1Maps": 6,
    "c3Maps": 16,
    "c5Units": 120,
    "f6Units": 84,
    "batchNorm": "none",
    "dropout": 0,
}
MODEL_REQUIRED = ["convActivation", "denseActivation", "pooling", "c5", "inputSize"]
TRAINING_DEFAULTS = {
    "labelSmoothing": 0,
    "augmentShift": 0,
    "augmentFlip": "none",
    "excludeMarked": "none",
}
TRAINING_REQUIRED = [
    "epochs",
    "batchSize",
    "optimizer",
    "learningRate",
    "momentum",
    "lrSchedule",
    "lrStepEpochs",
    "lrGamma",
    "weightDecay",
    "seed",
    "validationFraction",
    "trainSubset",
    "earlyStoppingPatience",
]


def refuse(field, message):
    raise SystemExit(f"lenet5_preset.py: {field} {message}")


def complete(fields, defaults, required, prefix):
    """`fields` with the defaults filled in; refuses an unknown or a missing field by name."""
    for key in fields:
        if key not in defaults and key not in required:
            refuse(prefix + key, "is not a field this script knows: it would be ignored, so PyTorch would train something else")
    for key in required:
        if key not in fields:
            refuse(prefix + key, "is missing from the configuration")
    return {**defaults, **fields}


def one_of(fields, key, allowed, prefix, why="is not implemented here"):
    if fields[key] not in allowed:
        refuse(prefix + key, f"= {fields[key]!r} {why} (implemented: {', '.join(map(repr, allowed))})")


def checked_config(config):
    """The configuration with older configs' defaults filled in, every value one this script trains as the studio does."""
    if not isinstance(config.get("model"), dict):
        refuse("model", "is missing from the configuration")
    training = complete({k: v for k, v in config.items() if k != "model"}, TRAINING_DEFAULTS, TRAINING_REQUIRED, "")
    model = complete(config["model"], MODEL_DEFAULTS, MODEL_REQUIRED, "model.")
    one_of(model, "architecture", ["lenet5"], "model.", "is not implemented here (its partial C3, trainable subsampling and RBF output are the studio's own layers)")
    one_of(model, "output", ["softmax"], "model.")
    one_of(model, "convActivation", list(ACTIVATIONS), "model.")
    one_of(model, "denseActivation", ["none", *ACTIVATIONS], "model.")
    one_of(model, "pooling", ["avg", "max"], "model.")
    one_of(model, "c5", ["dense", "conv"], "model.")
    one_of(model, "inputSize", [28, 32], "model.")
    one_of(model, "batchNorm", ["none", "conv", "all"], "model.")
    for key in ("c1Maps", "c3Maps", "c5Units", "f6Units"):
        if not isinstance(model[key], int) or model[key] < 1:
            refuse("model." + key, f"= {model[key]!r} is not a positive whole number of maps or units")
    if not 0 <= model["dropout"] < 1:
        refuse("model.dropout", f"= {model['dropout']!r} is not a rate in [0, 1)")
    one_of(training, "optimizer", ["adam", "sgd", "momentum", "rmsprop"], "")
    one_of(training, "lrSchedule", ["constant", "step", "cosine"], "")
    one_of(training, "augmentFlip", ["none", "horizontal"], "")
    one_of(training, "excludeMarked", ["none"], "", "is not implemented here (the images a user marked are in the studio's database)")
    if not isinstance(training["augmentShift"], int) or training["augmentShift"] < 0:
        refuse("augmentShift", f"= {training['augmentShift']!r} is not a whole number of pixels >= 0")
    return {**training, "model": model}



if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, help="the hyperparameters as JSON")
    print(json.dumps(checked_config(json.loads(parser.parse_args().config))))
