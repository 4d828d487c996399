// Pure: the bounds of every wait a rollout (and the resources that dial nodes) makes.

export interface RolloutTiming {
    /** Deadline of one unary Talos or Kubernetes call. */
    callTimeoutMs: number;
    /** Deadline of an image pull or an install (a stream). */
    streamTimeoutMs: number;
    /** How long a node may take to go down and come back. */
    rebootTimeoutMs: number;
    /** How long a node's kubelet, etcd or a restarted component may take to be healthy again. */
    healthTimeoutMs: number;
    /** How long a drain may take (talosctl's default: 5 minutes). */
    drainTimeoutMs: number;
    /** Between two polls. */
    pollIntervalMs: number;
}

/** Sized for a real node: a VM reboot with a new image is minutes; talosctl polls every 5 s. */
export const defaultTiming: RolloutTiming = {
    callTimeoutMs: 30_000,
    streamTimeoutMs: 10 * 60_000,
    rebootTimeoutMs: 10 * 60_000,
    healthTimeoutMs: 10 * 60_000,
    drainTimeoutMs: 5 * 60_000,
    pollIntervalMs: 5_000,
};
