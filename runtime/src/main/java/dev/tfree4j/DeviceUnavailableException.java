package dev.tfree4j;

/**
 * A device was asked for explicitly (e.g. {@code Device.cuda(0)}, {@code --device cuda},
 * {@code -Dtfree4j.device=cuda}) but cannot be used here. The message says why: the CUDA runtime
 * library is not found, the driver is missing or too old, there is no such device, or this
 * build of libtfree4j has no CUDA plugin. An explicit choice never falls back to the CPU.
 */
public class DeviceUnavailableException extends TFreeException {
    public DeviceUnavailableException(String message) {
        super(message);
    }
}
