"""The course's published results (../shared/data/REFERENCE.md), as numbers."""

BASELINE_COSTS = {
    0: 0.693147, 100: 0.584508, 200: 0.466949, 300: 0.376007, 400: 0.331463,
    500: 0.303273, 600: 0.279880, 700: 0.260042, 800: 0.242941, 900: 0.228004,
    1000: 0.214820, 1100: 0.203078, 1200: 0.192544, 1300: 0.183033, 1400: 0.174399,
    1500: 0.166521, 1600: 0.159305, 1700: 0.152667, 1800: 0.146542, 1900: 0.140872,
}
BASELINE_FINAL_COST = 0.135608
BASELINE_B = -0.015906
BASELINE_W_NORM = 1.886309
BASELINE_TRAIN_ACCURACY = 99.043062
BASELINE_TEST_ACCURACY = 70.0
BASELINE_CONFUSION = {"tp": 23, "tn": 12, "fp": 5, "fn": 10}

# learning rate → (cost recorded at iteration 1400, cost at the final weights, train %, test %), 1,500 iterations
LEARNING_RATE_TABLE = {
    0.01: (0.092043, 0.087453, 99.521531, 68.0),
    0.001: (0.378888, 0.370471, 88.995215, 64.0),
    0.0001: (0.575611, 0.572046, 68.421053, 36.0),
}

# REFERENCE.md: the course model (w = 0, b = 0, α = 0.005, 2,000 iterations) on the photos, squashed.
REFERENCE_PHOTOS = {
    "cat_in_iran.jpg": (0.697, "cat"),
    "gargouille.jpg": (0.650, "cat"),
    "la_defense.jpg": (0.648, "cat"),
    "my_image.jpg": (0.282, "non-cat"),
    "my_image2.jpg": (0.891, "cat"),
}
