// One simulated stack for a test: the cluster, its fake apids and fake Kubernetes API, and a rollout
// request against them with timings in milliseconds.
import { RolloutRequest } from "../../../components/talos/rollout/run";
import type { RolloutTiming } from "../../../components/talos/rollout/timing";
import { RolloutTarget } from "../../../components/talos/rollout/steps";
import { makePki, TestPki } from "./certs";
import { Faults, FakeCluster, FakeNodeSpec, stackSpecs } from "./cluster";
import { FakeKubernetesApi, startFakeKubernetes } from "./kubernetes-api";
import { FakeTalosApi, startFakeTalos } from "./talos-api";

export const schematic = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
export const installerFor = (version: string) => `factory.talos.dev/installer/${schematic}:${version}`;

// Bounds generous enough for a loaded CI machine (each must hold only in the tests that shrink it on purpose);
// the poll interval is what sets the pace.
export const fastTiming: RolloutTiming = {
    callTimeoutMs: 5000,
    streamTimeoutMs: 5000,
    rebootTimeoutMs: 5000,
    healthTimeoutMs: 5000,
    drainTimeoutMs: 5000,
    pollIntervalMs: 4,
};

export interface TestStack {
    pki: TestPki;
    cluster: FakeCluster;
    talos: FakeTalosApi;
    kube: FakeKubernetesApi;
    request(target: Partial<RolloutTarget>, overrides?: Partial<RolloutRequest>): RolloutRequest;
    close(): Promise<void>;
}

export async function startStack(
    options: {
        controlPlanes?: number;
        workers?: number;
        rebootMs?: number;
        faults?: Faults;
        specs?: FakeNodeSpec[];
        hangMs?: number;
        kubernetesVersion?: string;
    } = {},
): Promise<TestStack> {
    const pki = makePki();
    const specs =
        options.specs ??
        stackSpecs(
            options.controlPlanes ?? 3,
            options.workers ?? 1,
            "v1.13.9",
            options.kubernetesVersion ?? "v1.36.4",
            options.rebootMs ?? 20,
        );
    const cluster = new FakeCluster(specs, options.faults ?? {});
    const talos = await startFakeTalos(cluster, pki, { hangMs: options.hangMs ?? 300 });
    const kube = await startFakeKubernetes(cluster, pki);
    cluster.apiServer = kube.host;
    return {
        pki,
        cluster,
        talos,
        kube,
        request: (target, overrides = {}) => ({
            nodes: specs.map((s) => ({ name: s.name, role: s.role, endpoint: talos.endpoints[s.name] })),
            target: {
                talosVersion: "v1.14.0",
                installerImage: installerFor(target.talosVersion ?? "v1.14.0"),
                kubernetesVersion: options.kubernetesVersion ?? "v1.36.4",
                ...target,
            },
            talos: pki.clientConfiguration,
            kubernetes: {
                host: kube.host,
                caCertificate: pki.clientConfiguration.caCertificate,
                clientCertificate: pki.clientConfiguration.clientCertificate,
                clientKey: pki.clientConfiguration.clientKey,
            },
            timing: fastTiming,
            ...overrides,
        }),
        close: async () => {
            await talos.close();
            await kube.close();
        },
    };
}
