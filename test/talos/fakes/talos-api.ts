// A fake of each node's apid on 127.0.0.1, one port per node: gRPC over mutual TLS (the server demands a
// client certificate its CA signed), serving the calls of components/talos/api/protos.ts from FakeCluster.
// A node that is down answers UNAVAILABLE, as a closed port does to a client. Every call is logged. A node in
// maintenance mode answers on the same port with the maintenance API instead (a TCP front picks the server).
import * as grpc from "@grpc/grpc-js";
import * as net from "net";
import { encodeMachineConfigSpec, encodeManifestSpec, serviceDefinition } from "../../../components/talos/api/protos";
import { FakeCluster, FakeNode, needsReboot } from "./cluster";
import { TestPki } from "./certs";
import { adminKubeconfigYaml, talosKubeconfigArchive } from "./kubeconfig";
import { renderedManifests } from "./kubernetes-objects";

/** Installer image tag -> Talos version: `factory.talos.dev/installer/abc:v1.14.0` runs `v1.14.0`. */
const versionOf = (image: string) => image.split(":").pop()!;
/** Talos older than the lifecycle API (talosctl: `>1.13.0-alpha.2`) has no LifecycleService. */
const hasLifecycleApi = (version: string) => !/^v1\.(\d|1[0-2])\./.test(version);

type Unary = (request: Record<string, unknown>) => object;
type Streaming = (request: Record<string, unknown>, send: (message: object) => void) => Promise<void> | void;

export interface FakeTalosApi {
    /** `127.0.0.1:port` per node name. */
    endpoints: Record<string, string>;
    /** `node method` for every call that reached a node, in order. */
    calls: string[];
    /** Serves a node added to the cluster after the start (one that joins); its endpoint. */
    addNode(name: string): Promise<string>;
    close(): Promise<void>;
}

const unavailable = (node: FakeNode) => ({ code: grpc.status.UNAVAILABLE, details: `${node.name} is rebooting` });

function machineHandlers(cluster: FakeCluster, node: FakeNode, pki: TestPki): Record<string, Unary | Streaming> {
    const meta = { hostname: node.name, error: "" };
    return {
        Version: () => ({
            messages: [
                {
                    metadata: meta,
                    version: { tag: node.talosVersion, arch: "amd64", os: "linux" },
                    platform: { name: "metal", mode: "metal" },
                },
            ],
        }),
        ServiceList: () => ({
            messages: [
                {
                    metadata: meta,
                    services: [
                        ...(node.role === "controlplane"
                            ? [
                                  {
                                      id: "etcd",
                                      state: "Running",
                                      events: { events: [{ msg: "Health check successful", state: "Running" }] },
                                      health: {
                                          healthy: cluster.etcdHealthy(node.name),
                                          last_message: cluster.etcdHealthy(node.name) ? "" : "context deadline exceeded",
                                      },
                                  },
                              ]
                            : []),
                        {
                            id: "kubelet",
                            state: "Running",
                            events: { events: [{ msg: "Health check successful", state: "Running" }] },
                            health: { healthy: true },
                        },
                    ],
                },
            ],
        }),
        EtcdMemberList: () => {
            if (node.role !== "controlplane") throw { code: grpc.status.FAILED_PRECONDITION, details: "etcd is not running on a worker" };
            return {
                messages: [
                    {
                        metadata: meta,
                        members: cluster.etcdMembers().map((n, i) => ({
                            id: String(1000 + i),
                            hostname: n.name,
                            peer_urls: [`https://${n.name}:2380`],
                            is_learner: false,
                        })),
                    },
                ],
            };
        },
        Read: (request: Record<string, unknown>, send: (message: object) => void) => {
            if (request.path !== "/proc/sys/kernel/random/boot_id")
                throw { code: grpc.status.PERMISSION_DENIED, details: "path not allowed" };
            send({ metadata: meta, bytes: Buffer.from(`${node.bootId}\n`) });
        },
        Kubeconfig: async (_request: Record<string, unknown>, send: (message: object) => void) => {
            if (node.role !== "controlplane")
                throw { code: grpc.status.UNIMPLEMENTED, details: "kubeconfig is only available on control plane nodes" };
            const fault = cluster.faults.kubeconfig?.[node.name];
            // Answers late (2 s), as a node whose machined is stuck; the cluster's stop clears the timer.
            if (fault === "slow") await new Promise((resolve) => cluster.later(2000, () => resolve(undefined)));
            if (fault === "error") throw { code: grpc.status.UNKNOWN, details: "error getting Kubernetes CA: failed to parse PEM block" };
            if (!cluster.apiServer) throw { code: grpc.status.FAILED_PRECONDITION, details: "the fake has no Kubernetes API to name" };
            const archive = talosKubeconfigArchive(adminKubeconfigYaml("home", cluster.apiServer, pki));
            send({ bytes: fault === "truncated" ? archive.subarray(0, archive.length - 40) : archive });
        },
        Reboot: () => {
            // Talos acknowledges first, then goes down.
            setImmediate(() => cluster.reboot(node.name));
            return { messages: [{ metadata: meta, actor_id: "reboot" }] };
        },
        Upgrade: (request: Record<string, unknown>) => {
            cluster.record(
                `legacy-upgrade ${node.name} ${request.image}${request.preserve ? " preserve" : ""}${request.force ? " force" : ""}`,
            );
            node.installed = versionOf(String(request.image));
            setImmediate(() => cluster.reboot(node.name));
            return { messages: [{ metadata: meta, ack: "Upgrade request received", actor_id: "upgrade" }] };
        },
        ApplyConfiguration: (request: Record<string, unknown>) => applyConfiguration(cluster, node, request),
    };
}

/** ApplyConfiguration as Talos v1.13.9 answers it on a configured node (v1alpha1_server.go): a dry run reports
 *  the mode it would use; NO_REBOOT refuses a change that needs a reboot; STAGED persists only; AUTO and
 *  REBOOT reboot when needed. */
function applyConfiguration(cluster: FakeCluster, node: FakeNode, request: Record<string, unknown>) {
    const meta = { hostname: node.name, error: "" };
    const yaml = (request.data as Buffer).toString("utf8");
    const reboot = needsReboot(node.config, yaml);
    const refused = { code: grpc.status.INVALID_ARGUMENT, details: "this config change can't be applied in immediate mode" };
    if (request.dry_run) {
        cluster.record(`dry-run ${node.name}`);
        if (cluster.faults.dryRunFails?.includes(node.name))
            throw { code: grpc.status.UNAVAILABLE, details: "read: connection reset by peer" };
        if (request.mode === "NO_REBOOT" && reboot) throw refused;
        const mode = request.mode === "AUTO" ? (reboot ? "REBOOT" : "NO_REBOOT") : request.mode;
        return { messages: [{ metadata: meta, mode, mode_details: "Dry run summary" }] };
    }
    switch (request.mode) {
        case "NO_REBOOT":
            if (reboot) throw refused;
            cluster.applyNoReboot(node.name, yaml);
            break;
        case "STAGED":
            cluster.stage(node.name, yaml);
            break;
        default:
            // AUTO (when it needs one) and REBOOT: persisted, then the node reboots into it.
            if (request.mode === "AUTO" && !reboot) {
                cluster.applyNoReboot(node.name, yaml);
                break;
            }
            cluster.stage(node.name, yaml);
            cluster.record(`apply-reboot ${node.name}`);
            setImmediate(() => cluster.reboot(node.name));
    }
    return { messages: [{ metadata: meta, mode: request.mode, mode_details: "" }] };
}

/** The maintenance API of a node that booted with no config (insecure TLS, no client certificate): what
 *  `talosctl apply-config --insecure` reaches. A config applied in any mode but STAGED is applied at once, and
 *  the node installs and boots configured (v1alpha1_server.go: in maintenance REBOOT becomes NO_REBOOT and
 *  CanApplyImmediate is not asked); STAGED only persists it, and the node stays in maintenance. */
function maintenanceHandlers(cluster: FakeCluster, node: FakeNode): Record<string, Unary> {
    return {
        Version: () => ({
            messages: [
                {
                    metadata: { hostname: "", error: "" },
                    version: { tag: node.talosVersion },
                    platform: { name: "nocloud", mode: "cloud" },
                },
            ],
        }),
        ApplyConfiguration: (request) => {
            const yaml = (request.data as Buffer).toString("utf8");
            if (request.mode === "STAGED") {
                node.persistent = yaml;
                cluster.record(`maintenance-stage ${node.name}`);
            } else {
                node.config = yaml;
                node.persistent = undefined;
                node.maintenance = false;
                cluster.record(`maintenance-apply ${node.name}`);
            }
            return {
                messages: [
                    { metadata: { hostname: "", error: "" }, mode: request.mode === "STAGED" ? "STAGED" : "NO_REBOOT", mode_details: "" },
                ],
            };
        },
    };
}

function otherHandlers(cluster: FakeCluster, node: FakeNode): Record<string, Record<string, Unary | Streaming>> {
    return {
        "machine.ImageService": {
            Pull: async (request, send) => {
                const ref = String(request.image_ref);
                send({ pull_progress: { layer_id: "sha256:0001", progress: { status: "DOWNLOADING", offset: 1, total: 2 } } });
                send({ pull_progress: { layer_id: "sha256:0001", progress: { status: "EXTRACT_COMPLETE", offset: 2, total: 2 } } });
                node.pulled.push(ref);
                const namespace = (request.containerd as { namespace?: string } | undefined)?.namespace;
                cluster.record(`pull ${node.name} ${ref}${namespace === "NS_CRI" ? " (cri)" : ""}`);
                send({ name: ref });
            },
        },
        "machine.LifecycleService": {
            Upgrade: (request: Record<string, unknown>, send: (message: object) => void) => {
                if (!hasLifecycleApi(node.talosVersion))
                    throw { code: grpc.status.UNIMPLEMENTED, details: "unknown service machine.LifecycleService" };
                const ref = String((request.source as { image_name: string }).image_name);
                send({ progress: { message: `installing ${ref}` } });
                const failed = cluster.faults.installExitCode?.[node.name] ?? (node.pulled.includes(ref) ? 0 : 1);
                if (failed === 0) node.installed = versionOf(ref);
                cluster.record(`install ${node.name} ${ref} exit ${failed}`);
                send({ progress: { message: failed === 0 ? "upgrade successful" : `image ${ref}: install failed` } });
                send({ progress: { exit_code: failed } });
            },
        },
        "cosi.resource.State": {
            // The bootstrap manifests a control plane renders for the Talos it runs; a worker renders none.
            List: (request: Record<string, unknown>, send: (message: object) => void) => {
                if (
                    request.type !== "Manifests.kubernetes.talos.dev" ||
                    request.namespace !== "controlplane" ||
                    node.role !== "controlplane"
                )
                    return;
                for (const manifest of renderedManifests(node.talosVersion)) {
                    send({
                        resource: {
                            metadata: { namespace: "controlplane", type: request.type, id: manifest.id, version: "1" },
                            spec: { proto_spec: encodeManifestSpec(manifest.objects) },
                        },
                    });
                }
            },
            Get: (request: Record<string, unknown>) => {
                const yaml = request.id === "v1alpha1" ? node.config : request.id === "persistent" ? node.persistent : undefined;
                if (request.type !== "MachineConfigs.config.talos.dev" || yaml === undefined)
                    throw { code: grpc.status.NOT_FOUND, details: "resource not found" };
                return {
                    resource: {
                        metadata: { namespace: "config", type: request.type, id: request.id, version: "1" },
                        spec: { proto_spec: encodeMachineConfigSpec(yaml) },
                    },
                };
            },
        },
    };
}

/** One gRPC server on 127.0.0.1 serving these handlers; every call is logged and fails while the node is down. */
async function grpcServer(
    cluster: FakeCluster,
    node: FakeNode,
    services: Record<string, Record<string, Unary | Streaming>>,
    credentials: grpc.ServerCredentials,
    calls: string[],
    hangMs: number,
) {
    const server = new grpc.Server();
    for (const [service, handlers] of Object.entries(services)) {
        const definition = serviceDefinition(service);
        const implementation: grpc.UntypedServiceImplementation = {};
        for (const [method, handler] of Object.entries(handlers)) {
            const wrap = async (request: Record<string, unknown>, send: (m: object) => void, metadata: grpc.Metadata) => {
                // apid routes by the `node` metadata; the fake records it when a client sends one.
                const routed = metadata.get("node");
                calls.push(`${node.name} ${service.split(".").pop()}.${method}${routed.length ? ` node=${routed.join(",")}` : ""}`);
                if (cluster.faults.hang?.includes(node.name)) await new Promise((r) => setTimeout(r, hangMs));
                if (!node.up) throw unavailable(node);
                return handler(request, send);
            };
            implementation[method] = definition[method].responseStream
                ? (call: grpc.ServerWritableStream<Record<string, unknown>, object>) => {
                      wrap(call.request, (m) => call.write(m), call.metadata).then(
                          () => call.end(),
                          (error) => call.emit("error", error),
                      );
                  }
                : (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, callback: grpc.sendUnaryData<object>) => {
                      wrap(call.request, () => undefined, call.metadata).then(
                          (response) => callback(null, response as object),
                          (error) => callback(error),
                      );
                  };
        }
        server.addService(definition as unknown as grpc.ServiceDefinition, implementation);
    }
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return { server, port };
}

export async function startFakeTalos(cluster: FakeCluster, pki: TestPki, options: { hangMs?: number } = {}): Promise<FakeTalosApi> {
    const servers: grpc.Server[] = [];
    const fronts: net.Server[] = [];
    const sockets = new Set<net.Socket>();
    const endpoints: Record<string, string> = {};
    const calls: string[] = [];
    const hangMs = options.hangMs ?? 1000;
    // apid: mutual TLS, a client certificate the cluster CA signed is required.
    const apid = grpc.ServerCredentials.createSsl(
        Buffer.from(pki.ca.cert),
        [{ cert_chain: Buffer.from(pki.server.cert), private_key: Buffer.from(pki.server.key) }],
        true,
    );
    const serve = async (node: FakeNode): Promise<string> => {
        const configured = await grpcServer(
            cluster,
            node,
            { "machine.MachineService": machineHandlers(cluster, node, pki), ...otherHandlers(cluster, node) },
            apid,
            calls,
            hangMs,
        );
        servers.push(configured.server);
        // The maintenance API: its own certificate, no client certificate asked for. Only a node that booted
        // with no config has it; one address serves either, as the node's port 50000 does.
        let maintenancePort: number | undefined;
        if (node.maintenance) {
            const insecure = grpc.ServerCredentials.createSsl(
                null,
                [{ cert_chain: Buffer.from(pki.maintenance.cert), private_key: Buffer.from(pki.maintenance.key) }],
                false,
            );
            const maintenance = await grpcServer(
                cluster,
                node,
                { "machine.MachineService": maintenanceHandlers(cluster, node) },
                insecure,
                calls,
                hangMs,
            );
            servers.push(maintenance.server);
            maintenancePort = maintenance.port;
        }
        const front = net.createServer((socket) => {
            const upstream = net.connect(node.maintenance && maintenancePort ? maintenancePort : configured.port, "127.0.0.1");
            for (const s of [socket, upstream]) {
                // No Nagle on a relay: small HTTP/2 frames would wait on delayed ACKs (~40 ms a round trip).
                s.setNoDelay(true);
                sockets.add(s);
                s.on("close", () => sockets.delete(s));
            }
            socket.on("error", () => upstream.destroy());
            upstream.on("error", () => socket.destroy());
            socket.pipe(upstream).pipe(socket);
        });
        const port = await new Promise<number>((resolve) =>
            front.listen(0, "127.0.0.1", () => resolve((front.address() as net.AddressInfo).port)),
        );
        fronts.push(front);
        node.portTalos = port;
        endpoints[node.name] = `127.0.0.1:${port}`;
        return endpoints[node.name];
    };
    for (const node of cluster.nodes.values()) await serve(node);
    return {
        endpoints,
        calls,
        addNode: (name) => serve(cluster.node(name)),
        close: async () => {
            cluster.stop();
            // Force: a call that hangs on purpose must not hold the test up.
            for (const server of servers) server.forceShutdown();
            for (const socket of sockets) socket.destroy();
            await Promise.all(fronts.map((front) => new Promise((resolve) => front.close(resolve))));
        },
    };
}
