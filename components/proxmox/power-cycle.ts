// Restarting a VM so that Proxmox applies its pending hardware. The VMs run with `rebootAfterUpdate: false`,
// so a new cores/memory value is written as a pending change and the VM keeps running; a reboot inside the
// guest does not apply it (the QEMU process lives on), Proxmox's own reboot does: "Reboot the VM by shutting
// it down, and starting it again. Applies pending changes." (qemu-server PVE/API2/Qemu.pm, vm_reboot). The
// rolling restart calls this for one node at a time. Every call has a deadline and every wait a bound.
// `require` inside the functions: a dynamic provider's closure carries this module to its own process.

export interface ProxmoxAccess {
    /** `https://172.16.1.2:8006` */
    endpoint: string;
    /** `user@realm!tokenid=uuid` (secret). */
    apiToken: string;
    /** Accept the self-signed certificate a fresh Proxmox host has. */
    insecure: boolean;
}

export interface ProxmoxVm {
    /** Node name, for messages: `talos-cp-2`. */
    name: string;
    /** Proxmox host: `pve2`. */
    host: string;
    vmId: number;
}

export interface PowerCycleTiming {
    /** Deadline of one API call, ms. */
    callTimeoutMs: number;
    /** How long the guest may take to shut down before Proxmox gives up, s. */
    shutdownTimeoutSeconds: number;
    /** Bound on the whole reboot task, ms. */
    taskTimeoutMs: number;
    pollIntervalMs: number;
}

export class ProxmoxError extends Error {
    constructor(vm: ProxmoxVm, check: string, detail: string) {
        super(`${vm.name} (${vm.host}/${vm.vmId}): ${check}: ${detail}`);
        this.name = "ProxmoxError";
    }
}

/** One API call: the `data` of the answer, or a ProxmoxError naming the VM and what was asked. */
function call(api: ProxmoxAccess, vm: ProxmoxVm, method: "GET" | "POST", path: string, timeoutMs: number, body?: Record<string, string>): Promise<unknown> {
    const url = new URL(`/api2/json${path}`, api.endpoint);
    const transport = (url.protocol === "http:" ? require("http") : require("https")) as typeof import("https");
    const form = body ? new URLSearchParams(body).toString() : undefined;
    return new Promise((resolve, reject) => {
        const request = transport.request(
            url,
            {
                method,
                timeout: timeoutMs,
                rejectUnauthorized: !api.insecure,
                headers: { Authorization: `PVEAPIToken=${api.apiToken}`, ...(form !== undefined ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(form) } : {}) },
            },
            (response) => {
                let text = "";
                response.setEncoding("utf8");
                response.on("data", (chunk: string) => (text += chunk));
                response.on("end", () => {
                    if (response.statusCode !== 200) return reject(new ProxmoxError(vm, `${method} ${path}`, `HTTP ${response.statusCode} ${response.statusMessage ?? ""}`.trim()));
                    try {
                        resolve((JSON.parse(text) as { data: unknown }).data);
                    } catch {
                        reject(new ProxmoxError(vm, `${method} ${path}`, "the answer is not JSON"));
                    }
                });
            },
        );
        request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on("error", (error: Error) => reject(error instanceof ProxmoxError ? error : new ProxmoxError(vm, `${method} ${path}`, error.message)));
        request.end(form);
    });
}

const vmPath = (vm: ProxmoxVm) => `/nodes/${encodeURIComponent(vm.host)}/qemu/${vm.vmId}`;

/** The config keys with a pending value or a pending delete (GET .../pending), sorted. */
export async function pendingChanges(api: ProxmoxAccess, vm: ProxmoxVm, timeoutMs: number): Promise<string[]> {
    const entries = (await call(api, vm, "GET", `${vmPath(vm)}/pending`, timeoutMs)) as { key: string; pending?: unknown; delete?: number }[];
    return entries.filter((e) => e.pending !== undefined || (e.delete !== undefined && e.delete !== 0)).map((e) => e.key).sort();
}

/** Waits for a Proxmox task to stop; throws unless it ended `OK`. */
async function waitTask(api: ProxmoxAccess, vm: ProxmoxVm, upid: string, timing: PowerCycleTiming): Promise<void> {
    const deadline = Date.now() + timing.taskTimeoutMs;
    for (;;) {
        const status = (await call(api, vm, "GET", `/nodes/${encodeURIComponent(vm.host)}/tasks/${encodeURIComponent(upid)}/status`, timing.callTimeoutMs)) as { status: string; exitstatus?: string };
        if (status.status === "stopped") {
            if (status.exitstatus === "OK") return;
            throw new ProxmoxError(vm, "reboot task", `ended with ${JSON.stringify(status.exitstatus ?? "no exit status")}`);
        }
        if (Date.now() + timing.pollIntervalMs > deadline) throw new ProxmoxError(vm, "reboot task", `still ${status.status} after ${timing.taskTimeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, timing.pollIntervalMs));
    }
}

/**
 * Reboots the VM through Proxmox (shutdown, then start), which applies its pending hardware, and waits for
 * the task. Returns the keys that were pending (none when Proxmox applied the change live: the restart the
 * rollout asked for still happens, so its gates see the node go down and come back).
 */
export async function rebootApplyingPending(api: ProxmoxAccess, vm: ProxmoxVm, timing: PowerCycleTiming): Promise<string[]> {
    const pending = await pendingChanges(api, vm, timing.callTimeoutMs);
    const upid = (await call(api, vm, "POST", `${vmPath(vm)}/status/reboot`, timing.callTimeoutMs, { timeout: String(timing.shutdownTimeoutSeconds) })) as string;
    await waitTask(api, vm, upid, timing);
    const left = await pendingChanges(api, vm, timing.callTimeoutMs);
    if (left.length) throw new ProxmoxError(vm, "pending hardware", `still pending after the reboot: ${left.join(", ")}`);
    return pending;
}
