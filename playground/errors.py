"""Input a visitor can fix (a photo, a zip, the course's .h5 pair, a model file, an upload the
session no longer holds) refused with a precise message: in English here, and by its key in the visitor's language where the UI has a
translation (``playground/ui/locales/<lang>/errors.toml``; ``i18n.error_text``).

Errors of the program's own making (a wrong array shape passed by code) stay plain ValueErrors.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # a picture (playground/data/images.py)
    "image_empty": "{name} is empty (0 bytes).",
    "image_too_big": "{name} is {mib:.1f} MiB; images up to {limit_mib:.0f} MiB are accepted.",
    "image_too_many_pixels": "{name} is {width:,} × {height:,} = {pixels:,} pixels; images up to {limit:,} pixels are accepted.",
    "image_too_many_pixels_over": "{name} is over {pixels:,} pixels; images up to {limit:,} pixels are accepted.",
    "image_header_corrupt": "{name} starts like an image but its header is truncated or corrupt.",
    "image_unreadable": "{name} is not an image Pillow can read (PNG, JPEG, WebP, BMP or GIF).",
    "image_corrupt": "{name} is truncated or corrupt ({detail}).",
    "image_no_pixels": "{name} has no pixels ({width} × {height}).",
    "image_too_many_scans": "{name} is a JPEG of {scans:,} scans; JPEGs of up to {limit} scans are accepted.",
    "image_over_budget": ("{name} skipped: decoding it costs {megapixels:,.1f} megapixels, which would bring this "
                          "upload to {total:,.1f}; at most {limit:,.0f} megapixels are decoded per upload."),
    # a zip or folder of class folders (playground/data/folder.py)
    "zip_unreadable": "The upload is not a readable .zip file.",
    "zip_entry_outside": "The zip entry {entry!r} points outside its folder; refused.",
    "zip_entry_no_class": "The zip entry {entry!r} is not inside a class folder: expected class/image.jpg.",
    "zip_too_many_images": "The zip holds {n:,} images; at most {limit:,} are accepted.",
    "zip_too_big": "The zip holds {mib:.0f} MiB of images; at most {limit_mib:.0f} MiB are accepted.",
    "zip_too_few_classes": "The zip needs one subfolder per class, at least two classes; found {n} ({found}).",
    "zip_too_many_pixels": ("Decoding the zip's images would cost {megapixels:,.1f} megapixels; at most "
                            "{limit:,.0f} megapixels are decoded per upload."),
    "zip_entry_unreadable": "The zip entry {entry!r} could not be read ({detail}).",
    "folder_missing": "{folder} is not a folder.",
    "folder_too_many_images": "{folder} holds {n:,} images; at most {limit:,} are accepted.",
    "folder_too_big": "{folder} holds {mib:.0f} MiB of images; at most {limit_mib:.0f} MiB are accepted.",
    "folder_too_few_classes": "{folder} needs one subfolder per class, at least two classes; found {n} ({found}).",
    "folder_too_many_pixels": ("Decoding the images in {folder} would cost {megapixels:,.1f} megapixels; at most "
                               "{limit:,.0f} megapixels are decoded per upload."),
    "folder_entry_unreadable": "{entry} could not be read ({detail}).",
    "no_such_class": "No class {positive!r}: the classes are {classes}.",
    "too_few_to_test": "Too few images to hold any out for testing: give each class at least two.",
    # the course's .h5 pair (playground/data/course.py)
    "h5_unreadable": "{what} is not a readable HDF5 file ({detail}).",
    "h5_missing_keys": "{what} lacks the key(s) {missing}: expected {needed}, found {found}.",
    "h5_group": "{what}: {key!r} is a group, expected an array.",
    "h5_bad_images": "{what}: expected {split}_set_x of shape (m, height, width, 3) and dtype uint8, got shape {shape} and dtype {dtype}.",
    "h5_bad_labels": "{what}: expected integer labels in {split}_set_y, got dtype {dtype}.",
    "h5_bad_classes": "{what}: list_classes should hold two names, got {found}.",
    "h5_too_big": "{what} is {mb:.1f} MB; the limit is {limit_mb:.0f} MB.",
    "h5_empty": "{what} is empty (0 bytes).",
    "h5_soft_link": "{what}: expected {key!r} stored under its own name, got a soft link to {target!r}.",
    "h5_external_link": "{what}: expected {key!r} stored in the file itself, got an external link to another file.",
    "h5_virtual": "{what}: expected {key!r} stored in the file itself, got a virtual dataset that reads other files.",
    "h5_external_storage": "{what}: expected {key!r} stored in the file itself, got data kept in {n} external file(s).",
    "h5_too_many_images": "{what}: expected at most {limit:,} images in {split}_set_x, got {m:,}.",
    "h5_images_too_large": "{what}: expected images of at most {limit} × {limit} pixels in {split}_set_x, got {height:,} × {width:,}.",
    "h5_split_too_big": "{what}: expected at most {limit_mb:.1f} MB of images in {split}_set_x, got {m:,} images of {height} × {width} × 3 bytes = {mb:,.1f} MB.",
    "h5_too_many_chunks": "{what}: expected {split}_set_x stored in at most {limit:,} chunks, got {n:,}.",
    "h5_labels_shape": "{what}: expected {split}_set_y of shape (m,), (1, m) or (m, 1) with m at most {limit:,}, got shape {shape}.",
    "h5_classes_shape": "{what}: expected list_classes as a list of at most {limit} names, got shape {shape} and dtype {dtype}.",
    "h5_class_name_too_long": "{what}: expected class names of at most {limit} bytes in list_classes, got {n:,}.",
    "h5_too_costly": "Reading {what} needs more than {cpu_s} s of CPU time, {wall_s} s in all or {mem_mib:,} MiB of memory; refused.",
    "h5_busy": "{what} waits behind other uploads being read; please try again in a moment.",
    "h5_crashed": "Reading {what} crashed the HDF5 reader ({status}); the file is refused.",
    "h5_bad_answer": "The HDF5 reader's answer for {what} fails its checks ({detail}); refused.",
    "course_files_missing": "{folder} lacks {missing}: expected {train_file} and {test_file}.",
    # a dataset's parts, whatever file they came from (playground/data/dataset.py)
    "dataset_images_shape": "Expected {split} images of shape (m, height, width, 3), got shape {shape}.",
    "dataset_images_dtype": "Expected {split} images of dtype uint8 (0–255), got dtype {dtype}.",
    "dataset_no_images": "Expected at least one image in {split} images, got none.",
    "dataset_labels_shape": "Expected {split} labels of shape ({m},), got shape {shape}.",
    "dataset_labels_count": "Found inconsistent numbers of images and labels: [{m}, {n}] in {split} labels.",
    "dataset_labels_dtype": "Expected integer {split} labels, got dtype {dtype}.",
    "dataset_labels_values": "Expected {split} labels to be 0 or 1, found {found}.",
    "dataset_size_mismatch": "Train and test images differ in size: {train} against {test}.",
    "dataset_one_class": "The training set needs both classes (0 and 1); it holds only label {only}.",
    # an uploaded dataset whose bytes this visitor's session no longer holds (playground/ui/cache.py)
    "upload_gone": "This upload is no longer in your session: please upload it again.",
    # the Loops-vs-vectors race (playground/lessons/speed.py)
    "race_too_slow": ("m × n = {m:,} × {n:,} = {work:,} is more than {limit:,}: the two-loop step would take several "
                      "seconds. Take at most {max_m:,} examples for {n:,} features, or at most {max_n:,} features "
                      "for {m:,} examples."),
    # a saved model (playground/lessons/predict/saved_model.py)
    "model_array_damaged": "{name}: the array {key} is damaged.",
    "model_array_objects": "{name}: the array {key} holds Python objects, which would need pickle; refused.",
    "model_not_npz": "{name} is not a .npz model saved by the playground.",
    "model_single_npy": "{name} is a single .npy array, not a .npz model saved by the playground.",
    "model_missing_arrays": "{name} lacks {missing}: expected the arrays {expected}.",
    "model_unpacks_too_big": "{name} unpacks to {mib:,.0f} MiB; models up to {limit_mib:.0f} MiB are accepted.",
    "model_unreadable_array": "{name}: an array could not be read ({detail}).",
    "model_empty": "{name} is empty (0 bytes).",
    "model_too_big": "{name} is {mib:.1f} MiB; model files up to {limit_mib:.0f} MiB are accepted.",
    "model_version": "{name} has format version {version}; this playground reads version {supported}.",
    "model_bad_image_shape": "{name}: image_shape should be (height, width, 3), got {got}.",
    "model_image_too_large": "{name}: expected image_shape of at most {limit} × {limit} pixels, got {height:,} × {width:,}.",
    "model_bad_vector": "{name}: {key} should be {n_x} floats for {height} × {width} × 3 images, got shape {shape} and dtype {dtype}.",
    "model_non_finite": "{name}: {key} holds non-finite values.",
    "model_overflows": "{name}: its weights are so large that z = wᵀx + b overflows for some images; refused.",
    "model_bad_bias": "{name}: b should be one finite float, got shape {shape} and dtype {dtype}.",
    "model_zero_scale": "{name}: scale holds zeros.",
    "model_bad_classes": "{name}: classes should be two names, got {got}.",
    "model_bad_settings": "{name}: settings is not a JSON object.",
    # any loader failure that no check above named (playground/data/sources.py, loading)
    "load_failed": "The data could not be read ({detail}).",
    "load_out_of_memory": "The data needs more memory than this server gives one upload.",
    # a class (playground/classroom/store.py)
    "class_not_found": "No class with this code and key is open: it may have ended, or expired after 24 hours.",
    "class_full": "This class is full: it holds at most {limit} students.",
    "class_runs_limit": "You have sent {limit} runs to this class, the most one student may send.",
    "class_nickname_too_long": "A nickname has at most {limit} characters.",
}
"""Every message's English text, by key; its fields are the exception's ``fields``."""


class InputError(ValueError):
    """A refused input: ``str(err)`` is the English message, ``key`` and ``fields`` fill its
    translation. A ValueError, so code that catches those catches these."""

    def __init__(self, key: str, /, **fields):  # (positional: a field may be called "key")
        self.key, self.fields = key, fields
        super().__init__(MESSAGES[key].format(**fields))

    def __reduce__(self):
        # (pickled by Streamlit's cache_data, which keeps a refusal to show it in each visitor's language)
        return _rebuild, (self.key, self.fields)


def _rebuild(key: str, fields: dict) -> InputError:
    return InputError(key, **fields)
