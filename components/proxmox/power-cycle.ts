// Restarting a VM so that Proxmox applies its pending hardware. The VMs run with `rebootAfterUpdate: false`,
// so a new cores/memory value is written as a pending change and the VM keeps running; a reboot inside the
// guest does not apply it (the QEMU process lives on), Proxmox's own reboot does: "Reboot the VM by shutting
// it down, and starting it again. Applies pending changes." (qemu-server PVE/API2/Qemu.pm, vm_reboot). The
// rolling restart calls this for one node at a time. Every call has a deadline and every wait a bound.
// The token goes in a header, so it is written only to a connection whose server passed the trust check
// (tls/server-trust.ts): the pinned certificate, the configured CA, or a public CA and the host's name.
import { STATUS_CODES } from "http";
import { isLoopbackHost } from "../config/addresses";
import { HttpError, httpRequest } from "../http/client";
import type { ProxmoxAccess } from "./access";

export type { ProxmoxAccess } from "./access";

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

/** The largest answer read from the API: a VM's pending list or a task status is a few KiB. */
export const maxAnswerBytes = 1024 * 1024;

/** One API call: the `data` of the answer, or a ProxmoxError naming the VM and what was asked. */
async function call(
    api: ProxmoxAccess,
    vm: ProxmoxVm,
    method: "GET" | "POST",
    path: string,
    timeoutMs: number,
    body?: Record<string, string>,
): Promise<unknown> {
    const url = new URL(`/api2/json${path}`, api.endpoint);
    const what = `${method} ${path}`;
    // Plain http only to this machine (the tests' fakes): the token would cross any network in clear text.
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
        throw new ProxmoxError(vm, what, `refusing to send the API token to ${url.origin}: the endpoint must be https`);
    }
    const form = body ? new URLSearchParams(body).toString() : undefined;
    let answer: { status: number; text: string };
    try {
        answer = await httpRequest({
            method,
            url,
            timeoutMs,
            maxAnswerBytes,
            trust: api,
            body: form,
            headers: {
                Authorization: `PVEAPIToken=${api.apiToken}`,
                ...(form !== undefined ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
            },
        });
    } catch (error) {
        const { kind, reason } = error as HttpError;
        if (kind === "too-large")
            throw new ProxmoxError(vm, what, `the answer is larger than ${maxAnswerBytes} bytes; refusing to read it`);
        throw new ProxmoxError(vm, what, kind === "timeout" ? `no answer within ${timeoutMs} ms` : reason);
    }
    if (answer.status !== 200) throw new ProxmoxError(vm, what, `HTTP ${answer.status} ${STATUS_CODES[answer.status] ?? ""}`.trim());
    try {
        return (JSON.parse(answer.text) as { data: unknown }).data;
    } catch {
        throw new ProxmoxError(vm, what, "the answer is not JSON");
    }
}

const vmPath = (vm: ProxmoxVm) => `/nodes/${encodeURIComponent(vm.host)}/qemu/${vm.vmId}`;

/** The config keys with a pending value or a pending delete (GET .../pending), sorted. */
export async function pendingChanges(api: ProxmoxAccess, vm: ProxmoxVm, timeoutMs: number): Promise<string[]> {
    const entries = (await call(api, vm, "GET", `${vmPath(vm)}/pending`, timeoutMs)) as {
        key: string;
        pending?: unknown;
        delete?: number;
    }[];
    return entries
        .filter((e) => e.pending !== undefined || (e.delete !== undefined && e.delete !== 0))
        .map((e) => e.key)
        .sort();
}

/** Waits for a Proxmox task to stop; throws unless it ended `OK`. */
async function waitTask(api: ProxmoxAccess, vm: ProxmoxVm, upid: string, timing: PowerCycleTiming): Promise<void> {
    const deadline = Date.now() + timing.taskTimeoutMs;
    for (;;) {
        const status = (await call(
            api,
            vm,
            "GET",
            `/nodes/${encodeURIComponent(vm.host)}/tasks/${encodeURIComponent(upid)}/status`,
            timing.callTimeoutMs,
        )) as { status: string; exitstatus?: string };
        if (status.status === "stopped") {
            if (status.exitstatus === "OK") return;
            throw new ProxmoxError(vm, "reboot task", `ended with ${JSON.stringify(status.exitstatus ?? "no exit status")}`);
        }
        if (Date.now() + timing.pollIntervalMs > deadline)
            throw new ProxmoxError(vm, "reboot task", `still ${status.status} after ${timing.taskTimeoutMs} ms`);
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
    const upid = (await call(api, vm, "POST", `${vmPath(vm)}/status/reboot`, timing.callTimeoutMs, {
        timeout: String(timing.shutdownTimeoutSeconds),
    })) as string;
    await waitTask(api, vm, upid, timing);
    const left = await pendingChanges(api, vm, timing.callTimeoutMs);
    if (left.length) throw new ProxmoxError(vm, "pending hardware", `still pending after the reboot: ${left.join(", ")}`);
    return pending;
}
