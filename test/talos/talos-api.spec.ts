import { strict as assert } from "assert";
import { TalosApiError, TalosClient, TalosClientConfiguration } from "../../components/talos/api/client";
import { adminKubeconfig } from "../../components/talos/api/kubeconfig";
import {
    activeMachineConfig,
    applyNoReboot,
    bootId,
    etcdMembers,
    install,
    legacyUpgrade,
    pullImage,
    reboot,
    services,
    talosVersion,
} from "../../components/talos/api/machine";
import { makePki, TestPki } from "./fakes/certs";
import { FakeCluster, stackSpecs } from "./fakes/cluster";
import { FakeTalosApi, startFakeTalos } from "./fakes/talos-api";

const installer = "factory.talos.dev/installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.14.0";

describe("Talos API client against a fake apid over mutual TLS", function () {
    this.timeout(10000);
    let pki: TestPki;
    let cluster: FakeCluster;
    let fake: FakeTalosApi;
    const clients: TalosClient[] = [];
    const options = { callTimeoutMs: 2000, streamTimeoutMs: 2000 };
    const connect = (name: string, credentials: TalosClientConfiguration = pki.clientConfiguration, overrides = {}) => {
        const client = new TalosClient({ name, address: fake.endpoints[name] }, credentials, { ...options, ...overrides });
        clients.push(client);
        return client;
    };

    before(() => {
        pki = makePki();
    });
    beforeEach(async () => {
        cluster = new FakeCluster(stackSpecs(3, 1, "v1.13.9", "v1.36.4", 20));
        fake = await startFakeTalos(cluster, pki, { hangMs: 3000 });
    });
    afterEach(async () => {
        for (const client of clients.splice(0)) client.close();
        await fake.close();
    });

    it("reads the version, services, etcd members and boot id of a node", async () => {
        const cp = connect("talos-cp-1");
        assert.equal(await talosVersion(cp), "v1.13.9");
        assert.deepEqual(await services(cp), [
            { id: "etcd", lastState: "Running", lastMessage: "Health check successful", healthy: true },
            { id: "kubelet", lastState: "Running", lastMessage: "Health check successful", healthy: true },
        ]);
        assert.deepEqual(await etcdMembers(cp), [
            { id: "1000", hostname: "talos-cp-1", isLearner: false },
            { id: "1001", hostname: "talos-cp-2", isLearner: false },
            { id: "1002", hostname: "talos-cp-3", isLearner: false },
        ]);
        assert.equal(await bootId(cp), "talos-cp-1-boot-0");
        assert.deepEqual(fake.calls, [
            "talos-cp-1 MachineService.Version",
            "talos-cp-1 MachineService.ServiceList",
            "talos-cp-1 MachineService.EtcdMemberList",
            "talos-cp-1 MachineService.Read",
        ]);
    });

    it("sends talosctl's `node` metadata only when routing through another endpoint", async () => {
        const direct = connect("talos-cp-1");
        const routed = new TalosClient(
            { name: "talos-cp-2", address: fake.endpoints["talos-cp-1"], node: "172.16.1.51" },
            pki.clientConfiguration,
            options,
        );
        clients.push(routed);
        await talosVersion(direct);
        await talosVersion(routed);
        assert.deepEqual(fake.calls, ["talos-cp-1 MachineService.Version", "talos-cp-1 MachineService.Version node=172.16.1.51"]);
    });

    it("pulls, then installs with exit code 0, without rebooting", async () => {
        const worker = connect("talos-worker-1");
        assert.equal(await pullImage(worker, installer), installer);
        assert.deepEqual(await install(worker, installer), { exitCode: 0, messages: [`installing ${installer}`, "upgrade successful"] });
        assert.equal(cluster.node("talos-worker-1").installed, "v1.14.0");
        assert.equal(cluster.node("talos-worker-1").talosVersion, "v1.13.9", "still running the old version until it reboots");
        assert.deepEqual(cluster.events, [`pull talos-worker-1 ${installer}`, `install talos-worker-1 ${installer} exit 0`]);
    });

    it("returns a non-zero exit code although the RPC succeeds", async () => {
        cluster.faults.installExitCode = { "talos-worker-1": 3 };
        const worker = connect("talos-worker-1");
        await pullImage(worker, installer);
        assert.deepEqual(await install(worker, installer), {
            exitCode: 3,
            messages: [`installing ${installer}`, `image ${installer}: install failed`],
        });
        assert.equal(cluster.node("talos-worker-1").installed, "v1.13.9");
    });

    it("reboots: the node answers UNAVAILABLE while down, then with a new boot id", async () => {
        cluster.node("talos-worker-1").rebootMs = 150;
        const worker = connect("talos-worker-1");
        await reboot(worker);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await assert.rejects(
            talosVersion(worker),
            (error: TalosApiError) =>
                error.code === 14 &&
                error.message === "talos-worker-1: Talos API MachineService.Version: UNAVAILABLE: talos-worker-1 is rebooting",
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(await bootId(worker), "talos-worker-1-boot-1");
    });

    it("finds no LifecycleService on a node older than v1.13 and upgrades it through the deprecated MachineService.Upgrade", async () => {
        cluster.node("talos-worker-1").talosVersion = "v1.12.6";
        const worker = connect("talos-worker-1");
        await assert.rejects(install(worker, installer), (error: TalosApiError) => error.code === 12);
        await legacyUpgrade(worker, installer);
        await new Promise((resolve) => setTimeout(resolve, 40));
        assert.equal(await talosVersion(worker), "v1.14.0");
    });

    it("reads the active machine configuration through COSI and applies a new one without a reboot", async () => {
        const cp = connect("talos-cp-2");
        const yaml = await activeMachineConfig(cp);
        assert.match(yaml, /image: registry.k8s.io\/kube-apiserver:v1.36.4/);
        await applyNoReboot(cp, yaml.replace("kube-apiserver:v1.36.4", "kube-apiserver:v1.37.0"));
        assert.match(cluster.node("talos-cp-2").config, /kube-apiserver:v1.37.0/);
        assert.deepEqual(cluster.events, ["apply talos-cp-2"]);
    });

    it("reads the admin kubeconfig from a control plane as API access; a worker refuses as Talos does", async () => {
        cluster.apiServer = "https://172.16.1.49:6443";
        const b64 = (text: string) => Buffer.from(text).toString("base64");
        assert.deepEqual(await adminKubeconfig(connect("talos-cp-2")), {
            host: "https://172.16.1.49:6443",
            caCertificate: b64(pki.ca.cert),
            clientCertificate: b64(pki.client.cert),
            clientKey: b64(pki.client.key),
        });
        await assert.rejects(adminKubeconfig(connect("talos-worker-1")), {
            message:
                "talos-worker-1: Talos API MachineService.Kubeconfig: UNIMPLEMENTED: kubeconfig is only available on control plane nodes",
        });
        assert.deepEqual(fake.calls, ["talos-cp-2 MachineService.Kubeconfig", "talos-worker-1 MachineService.Kubeconfig"]);
    });

    it("stops reading a kubeconfig stream at the size bound, and names a broken archive", async () => {
        cluster.apiServer = "https://172.16.1.49:6443";
        await assert.rejects(adminKubeconfig(connect("talos-cp-1"), 1000), {
            message: "talos-cp-1: Talos API MachineService.Kubeconfig: the kubeconfig stream passed 1000 bytes; stopped reading",
        });
        cluster.faults.kubeconfig = { "talos-cp-1": "truncated" };
        await assert.rejects(adminKubeconfig(connect("talos-cp-1")), {
            message: "talos-cp-1: Talos API MachineService.Kubeconfig: the archive is not gzip: unexpected end of file",
        });
    });

    it("is refused with a client certificate another CA signed, and says so", async () => {
        const stranger = {
            ...pki.clientConfiguration,
            clientCertificate: Buffer.from(pki.stranger.cert).toString("base64"),
            clientKey: Buffer.from(pki.stranger.key).toString("base64"),
        };
        await assert.rejects(talosVersion(connect("talos-cp-1", stranger)), (error: TalosApiError) => {
            assert.equal(error.code, 14);
            assert.match(
                error.message,
                /^talos-cp-1: Talos API MachineService.Version: UNAVAILABLE: the node is down or unreachable, or refused the TLS handshake \(is the client configuration this cluster's\?\): No connection established/,
            );
            return true;
        });
        assert.deepEqual(fake.calls, [], "no call reached the node");
    });

    it("reports a key that does not fit as unusable client configuration", () => {
        assert.throws(
            () => connect("talos-cp-1", { ...pki.clientConfiguration, clientKey: "bm90IGEga2V5" }),
            /^Error: talos-cp-1: Talos API client configuration: the CA, client certificate or key is not usable PEM/,
        );
    });

    it("gives up on a node that does not answer at its deadline", async () => {
        cluster.faults.hang = ["talos-cp-3"];
        const started = Date.now();
        await assert.rejects(
            talosVersion(connect("talos-cp-3", pki.clientConfiguration, { callTimeoutMs: 100 })),
            (error: TalosApiError) => error.code === 4,
        );
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 95 && elapsed < 1500, `took ${elapsed} ms: the deadline, not the 3 s the node hangs`);
    });
});
