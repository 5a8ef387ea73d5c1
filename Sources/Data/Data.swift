// The data layer: synthetic scenes, COCO/VOC readers, augmentation and batching.
