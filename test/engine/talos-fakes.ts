// The Talos side of the engine tests: the fake apids and Kubernetes API of test/talos/fakes, and the stack config
// the rollout program (programs/rollout) reads to reach them.
import type { RolloutTiming } from "../../components/talos/rollout/timing";
import { closedPort } from "../dns/fake-servers";
import { installerFor, TestStack } from "../talos/fakes/stack";
import type { EngineStack } from "./cli";

export { installerFor };

/** Deadlines with slack for a loaded machine; the fakes reboot in 20 ms, so only a failure waits them out. */
export const engineTiming: RolloutTiming = {
    callTimeoutMs: 15_000,
    streamTimeoutMs: 15_000,
    rebootTimeoutMs: 15_000,
    healthTimeoutMs: 15_000,
    drainTimeoutMs: 15_000,
    pollIntervalMs: 20,
};

/** A Proxmox API token the rollout program holds as a secret (never sent: no node's hardware changes). */
export const proxmoxApiToken = "homelab@pve!engine=4c1d7e0a-5b2f-4e8a-9c3d-7f6e5d4c3b2a";

let proxmoxPort: number | undefined;

/** Sets the rollout program's config: the named nodes (in that order), the versions, the fakes' PKI and ports. */
export async function configureRollout(
    engine: EngineStack,
    fakes: TestStack,
    options: { nodes: string[]; talosVersion: string; kubernetesVersion?: string; timing?: RolloutTiming },
): Promise<void> {
    const nodes = options.nodes.map((name) => ({ name, role: fakes.cluster.node(name).role, endpoint: fakes.talos.endpoints[name] }));
    const { caCertificate, clientCertificate, clientKey } = fakes.pki.clientConfiguration;
    await engine.setConfig({
        nodes,
        talosVersion: options.talosVersion,
        installerImage: installerFor(options.talosVersion),
        kubernetesVersion: options.kubernetesVersion ?? "v1.36.4",
        timing: options.timing ?? engineTiming,
        kubernetes: { host: fakes.kube.host, caCertificate, clientCertificate },
    });
    proxmoxPort ??= await closedPort();
    await engine.setConfig({ proxmoxEndpoint: `https://127.0.0.1:${proxmoxPort}` });
    await engine.setConfig({ talos: fakes.pki.clientConfiguration, kubernetesClientKey: clientKey, proxmoxApiToken }, { secret: true });
}

/** What each node runs now, by name. */
export function runningVersions(fakes: TestStack): Record<string, string> {
    return Object.fromEntries([...fakes.cluster.nodes.values()].map((n) => [n.name, n.talosVersion]));
}

/**
 * Someone powers a node back on that went down and never came back (Faults.neverBack): it boots what is
 * installed, as FakeCluster.reboot's own return does.
 */
export function powerOn(fakes: TestStack, name: string): void {
    const { cluster } = fakes;
    cluster.faults.neverBack = (cluster.faults.neverBack ?? []).filter((n) => n !== name);
    const node = cluster.node(name);
    if (node.up) throw new Error(`${name} is up already`);
    node.up = true;
    node.boots++;
    node.bootId = `${name}-boot-${node.boots}`;
    node.talosVersion = node.installed;
    cluster.downNow--;
    cluster.applyConfig(node);
    cluster.record(`up ${name} ${node.talosVersion}`);
}
