// The Talos calls a rollout makes, each a typed wrapper over one RPC of protos.ts, shaped as
// talosctl 1.13.9 makes them (cmd/talosctl/cmd/talos/upgrade.go, image.go, pkg/cluster/check).
import { TalosApiError, TalosClient } from "./client";
import { machineConfigYaml } from "./protos";

const MACHINE = "machine.MachineService";

/** The containerd instances talosctl names (cmd/talosctl/cmd/talos/image.go containerdInstance): `system` (where
 *  talosctl upgrade pulls and installs from, and where the kubelet's image lives) and `cri` (Kubernetes' pods). */
const containerd = { system: { driver: "CRI", namespace: "NS_SYSTEM" }, cri: { driver: "CRI", namespace: "NS_CRI" } } as const;
const systemContainerd = containerd.system;

interface Metadata {
    hostname: string;
    error: string;
}

function first<T extends { metadata: Metadata | null }>(node: string, method: string, messages: T[]): T {
    const message = messages[0];
    if (!message) throw new TalosApiError(node, method, undefined, "empty response");
    if (message.metadata?.error) throw new TalosApiError(node, method, undefined, message.metadata.error);
    return message;
}

/** The Talos version the node runs: `v1.13.9`. */
export async function talosVersion(client: TalosClient): Promise<string> {
    const response = await client.unary<{ messages: { metadata: Metadata | null; version: { tag: string } | null }[] }>(
        MACHINE,
        "Version",
        {},
    );
    const tag = first(client.endpoint.name, "Version", response.messages).version?.tag;
    if (!tag) throw new TalosApiError(client.endpoint.name, "Version", undefined, "no version tag in the response");
    return tag;
}

export interface ServiceState {
    id: string;
    /** The last event's state (talosctl's health check reads this, not `state`): `Running`, `Waiting`, ... */
    lastState: string;
    lastMessage: string;
    healthy: boolean;
}

export async function services(client: TalosClient): Promise<ServiceState[]> {
    type Info = { id: string; events: { events: { msg: string; state: string }[] } | null; health: { healthy: boolean } | null };
    const response = await client.unary<{ messages: { metadata: Metadata | null; services: Info[] }[] }>(MACHINE, "ServiceList", {});
    return first(client.endpoint.name, "ServiceList", response.messages).services.map((service) => {
        const events = service.events?.events ?? [];
        const last = events[events.length - 1];
        return { id: service.id, lastState: last?.state ?? "", lastMessage: last?.msg ?? "", healthy: Boolean(service.health?.healthy) };
    });
}

export interface EtcdMember {
    id: string;
    hostname: string;
    isLearner: boolean;
}

export async function etcdMembers(client: TalosClient): Promise<EtcdMember[]> {
    type Member = { id: string; hostname: string; is_learner: boolean };
    const response = await client.unary<{ messages: { metadata: Metadata | null; members: Member[] }[] }>(MACHINE, "EtcdMemberList", {
        query_local: false,
    });
    return first(client.endpoint.name, "EtcdMemberList", response.messages).members.map((m) => ({
        id: m.id,
        hostname: m.hostname,
        isLearner: m.is_learner,
    }));
}

/** The kernel's boot id: it changes on every boot, so it tells a reboot from a node that never went down. */
export async function bootId(client: TalosClient): Promise<string> {
    const chunks = await client.stream<{ bytes: Buffer }>(MACHINE, "Read", { path: "/proc/sys/kernel/random/boot_id" });
    const id = Buffer.concat(chunks.map((c) => c.bytes))
        .toString("utf8")
        .trim();
    if (!id) throw new TalosApiError(client.endpoint.name, "Read", undefined, "empty boot id");
    return id;
}

export async function reboot(client: TalosClient): Promise<void> {
    const response = await client.unary<{ messages: { metadata: Metadata | null }[] }>(MACHINE, "Reboot", { mode: "DEFAULT" });
    if (response.messages.length) first(client.endpoint.name, "Reboot", response.messages);
}

/** ImageService.Pull into the system containerd (or Kubernetes' own); the pulled image's name. */
export async function pullImage(client: TalosClient, imageRef: string, namespace: keyof typeof containerd = "system"): Promise<string> {
    const messages = await client.stream<{ name: string; response?: string }>("machine.ImageService", "Pull", {
        containerd: containerd[namespace],
        image_ref: imageRef,
    });
    const done = messages.find((m) => m.response === "name");
    if (!done)
        throw new TalosApiError(client.endpoint.name, "ImageService.Pull", undefined, `the stream ended without the name of ${imageRef}`);
    return done.name;
}

export interface InstallResult {
    exitCode: number;
    /** Progress messages in order, for the error message when the install fails. */
    messages: string[];
}

/** LifecycleService.Upgrade: installs the image to disk, without rebooting. A non-zero exit code is a failed
 *  install although the RPC succeeds (the server must not fail it, lifecycle.proto), so it is returned. */
export async function install(client: TalosClient, imageRef: string): Promise<InstallResult> {
    type Progress = { progress: { message: string; exit_code: number; response?: string } | null };
    const stream = await client.stream<Progress>("machine.LifecycleService", "Upgrade", {
        containerd: systemContainerd,
        source: { image_name: imageRef },
    });
    const messages = stream.filter((m) => m.progress?.response === "message").map((m) => m.progress!.message);
    const exit = stream.find((m) => m.progress?.response === "exit_code");
    if (!exit)
        throw new TalosApiError(
            client.endpoint.name,
            "LifecycleService.Upgrade",
            undefined,
            `the stream ended without an exit code (last message: ${messages[messages.length - 1] ?? "none"})`,
        );
    return { exitCode: exit.progress!.exit_code, messages };
}

/** The deprecated MachineService.Upgrade (removal planned for v1.18): installs and reboots in one call. Only
 *  for a node older than the lifecycle API, as talosctl falls back for such nodes. */
export async function legacyUpgrade(client: TalosClient, imageRef: string): Promise<void> {
    // preserve: the installer ignores a wipe on upgrade since v1.12 ("system disk wipe on upgrade is not
    // supported anymore"), but an older node would wipe its data without it. Not forced: the node keeps
    // its own etcd checks.
    const response = await client.unary<{ messages: { metadata: Metadata | null; ack: string }[] }>(MACHINE, "Upgrade", {
        image: imageRef,
        preserve: true,
        reboot_mode: "DEFAULT",
    });
    first(client.endpoint.name, "Upgrade", response.messages);
}

const MACHINE_CONFIG = { namespace: "config", type: "MachineConfigs.config.talos.dev" };

/** The active machine configuration's YAML, from the COSI resource `MachineConfigs.config.talos.dev` `v1alpha1`. */
export async function activeMachineConfig(client: TalosClient): Promise<string> {
    const yaml = await machineConfigResource(client, "v1alpha1");
    if (yaml === undefined)
        throw new TalosApiError(client.endpoint.name, "State.Get", 5, "NOT_FOUND: the node has no active machine configuration");
    return yaml;
}

/**
 * The configuration the node last persisted (`MachineConfigs` id `persistent`), or undefined when it holds none
 * since it booted. Talos writes it on every apply; a STAGED apply writes only it, so it is ahead of the active
 * one until the next boot (Talos v1.13.9 pkg/machinery/resources/config/machine_config.go, PersistentID: "might
 * be ahead of the current ID if the config was submitted in e.g. staged mode").
 */
export async function persistedMachineConfig(client: TalosClient): Promise<string | undefined> {
    return machineConfigResource(client, "persistent");
}

async function machineConfigResource(client: TalosClient, id: string): Promise<string | undefined> {
    let response: { resource: { spec: { proto_spec: Buffer } | null } | null };
    try {
        response = await client.unary("cosi.resource.State", "Get", { ...MACHINE_CONFIG, id });
    } catch (error) {
        if ((error as TalosApiError).code === 5) return undefined;
        throw error;
    }
    const spec = response.resource?.spec?.proto_spec;
    if (!spec?.length)
        throw new TalosApiError(client.endpoint.name, "State.Get", undefined, `the machine configuration resource ${id} has no spec`);
    return machineConfigYaml(spec);
}

export type ApplyMode = "NO_REBOOT" | "STAGED";

/** Applies a whole machine configuration: NO_REBOOT, as upgrade-k8s does after patching it (Talos refuses it
 *  when the change cannot be applied live, and never reboots), or STAGED (kept for the next boot). */
export async function applyConfiguration(client: TalosClient, yaml: string, mode: ApplyMode): Promise<void> {
    const response = await client.unary<{ messages: { metadata: Metadata | null; mode: string }[] }>(MACHINE, "ApplyConfiguration", {
        data: Buffer.from(yaml, "utf8"),
        mode,
    });
    first(client.endpoint.name, "ApplyConfiguration", response.messages);
}

export const applyNoReboot = (client: TalosClient, yaml: string) => applyConfiguration(client, yaml, "NO_REBOOT");

/** Whether Talos could apply this configuration live: a dry run in mode AUTO, which Talos answers with the mode
 *  it would use (v1.13.9 v1alpha1_server.go ApplyConfiguration: AUTO becomes REBOOT when CanApplyImmediate fails). */
export async function applyNeedsReboot(client: TalosClient, yaml: string): Promise<boolean> {
    const response = await client.unary<{ messages: { metadata: Metadata | null; mode: string }[] }>(MACHINE, "ApplyConfiguration", {
        data: Buffer.from(yaml, "utf8"),
        mode: "AUTO",
        dry_run: true,
    });
    const mode = first(client.endpoint.name, "ApplyConfiguration", response.messages).mode;
    if (mode !== "REBOOT" && mode !== "NO_REBOOT")
        throw new TalosApiError(
            client.endpoint.name,
            "ApplyConfiguration",
            undefined,
            `the dry run answered mode ${mode || "(none)"}, neither REBOOT nor NO_REBOOT`,
        );
    return mode === "REBOOT";
}
