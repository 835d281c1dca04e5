package dev.unmask.diffusion.compare;

/**
 * One training step on the loss-against-time curve.
 *
 * @param seconds wall-clock seconds since training began, this step included
 */
public record LossPoint(int step, double seconds, double loss) {}
