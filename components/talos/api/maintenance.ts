// The maintenance API of a node that booted with no machine config: Talos serves it on port 50000 with a
// certificate of its own and asks for no client certificate, so a client cannot verify it and presents none
// (what `talosctl apply-config --insecure` and the Talos provider's create do, terraform-provider-talos v0.11.0
// pkg/talos/util.go talosClientOp: an InsecureSkipVerify client first). A node that runs a config refuses such
// a client. One call: apply the config, which Talos applies at once in maintenance mode.
import * as grpc from "@grpc/grpc-js";
import { channelOptions } from "./client";
import { serviceDefinition } from "./protos";

export class MaintenanceApiError extends Error {
    constructor(node: string, detail: string) {
        super(`${node}: Talos maintenance API: ${detail}`);
    }
}

/**
 * ApplyConfiguration NO_REBOOT over the maintenance API. In maintenance mode Talos applies it at once and skips
 * the live-apply check (v1.13.9 v1alpha1_server.go ApplyConfiguration: `CanApplyImmediate(...); err != nil &&
 * !inMaintenance`); on a configured node NO_REBOOT could never reboot it.
 */
export function maintenanceApply(node: { name: string; address: string }, yaml: string, timeoutMs: number): Promise<void> {
    const method = serviceDefinition("machine.MachineService").ApplyConfiguration;
    const client = new grpc.Client(
        node.address,
        grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false }),
        channelOptions(node.name),
    );
    return new Promise<void>((resolve, reject) => {
        const request = { data: Buffer.from(yaml, "utf8"), mode: "NO_REBOOT" };
        client.makeUnaryRequest(
            method.path,
            method.requestSerialize,
            method.responseDeserialize,
            request,
            new grpc.Metadata(),
            { deadline: Date.now() + timeoutMs },
            (error, response) => {
                client.close();
                if (error)
                    return reject(
                        new MaintenanceApiError(node.name, `ApplyConfiguration: ${(error as grpc.ServiceError).details ?? error.message}`),
                    );
                const messages = (response as { messages?: { metadata?: { error?: string } | null }[] }).messages ?? [];
                const failure = messages.find((m) => m.metadata?.error)?.metadata?.error;
                return failure ? reject(new MaintenanceApiError(node.name, `ApplyConfiguration: ${failure}`)) : resolve();
            },
        );
    });
}
