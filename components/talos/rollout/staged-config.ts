// A node's staged machine config, through the Talos API. The config applies stage every change on a running
// node (cluster.ts, applyMode "staged"), so no apply reboots a node; the rollout then takes each staged config
// in turn: applied live when Talos says it can be (a dry run), else by a restart in rollout order. Edits the
// rollout makes itself (upgrade-k8s' image patches, the installer it records) keep a staged config staged.
import type { TalosClient } from "../api/client";
import { activeMachineConfig, applyConfiguration, applyNeedsReboot, persistedMachineConfig } from "../api/machine";

export type StagedConfig = "live" | "reboot";

/**
 * What the node holds staged, if anything: its persisted config when that differs from the active one (Talos
 * writes both on a live apply and only the persisted one on a staged apply; a boot loads the persisted one and
 * keeps no separate copy). `live` when a dry run says Talos would apply it without a reboot.
 */
export async function stagedConfig(client: TalosClient, active: string): Promise<StagedConfig | undefined> {
    const persisted = await persistedMachineConfig(client);
    if (persisted === undefined || persisted === active) return undefined;
    return (await applyNeedsReboot(client, persisted)) ? "reboot" : "live";
}

/** Applies the staged config live (NO_REBOOT: if it can no longer be applied live Talos refuses it, and the
 *  node is not rebooted). */
export async function applyStagedLive(client: TalosClient): Promise<boolean> {
    const persisted = await persistedMachineConfig(client);
    if (persisted === undefined || persisted === (await activeMachineConfig(client))) return false;
    await applyConfiguration(client, persisted, "NO_REBOOT");
    return true;
}

/**
 * Applies an edit of the active config live, and keeps a staged config staged with the same edit. A NO_REBOOT
 * apply writes the persisted config as well as the active one (Talos v1.13.9 v1alpha1_server.go, mode
 * NO_REBOOT: SetPersistedConfig, then SetConfig), so the staged config would be replaced without a word.
 */
export async function applyEditKeepingStaged<T extends { yaml: string; changed: boolean }>(
    client: TalosClient,
    edit: (yaml: string) => T,
): Promise<T & { restaged: boolean }> {
    const active = await activeMachineConfig(client);
    const persisted = await persistedMachineConfig(client);
    const edited = edit(active);
    if (!edited.changed) return { ...edited, restaged: false };
    await applyConfiguration(client, edited.yaml, "NO_REBOOT");
    if (persisted === undefined || persisted === active) return { ...edited, restaged: false };
    await applyConfiguration(client, edit(persisted).yaml, "STAGED");
    return { ...edited, restaged: true };
}
