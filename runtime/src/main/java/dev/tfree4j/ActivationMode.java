package dev.tfree4j;

/**
 * How a model's int8 weights multiply their input, as in tf_activation_mode: FLOAT (W8A16 /
 * W8A32, "a16") keeps the activations floating point; INT8 (W8A8, "a8") quantizes each
 * activation row to int8 (absmax) and sums integer dot products.
 */
public enum ActivationMode { FLOAT, INT8 }
