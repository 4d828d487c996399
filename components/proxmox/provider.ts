import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { ProxmoxSpec } from "../spec";

/**
 * The Proxmox provider: API token for the API, and SSH to each host (by its infrastructure address),
 * which the provider needs to import a downloaded disk image into a VM.
 */
export function proxmoxProvider(name: string, spec: ProxmoxSpec, apiToken: pulumi.Output<string>, sshPrivateKey: pulumi.Output<string>, opts?: pulumi.CustomResourceOptions): proxmox.Provider {
    return new proxmox.Provider(
        name,
        {
            endpoint: spec.endpoint,
            apiToken,
            insecure: spec.insecure,
            ssh: {
                username: spec.sshUsername,
                privateKey: sshPrivateKey,
                nodes: spec.hosts.map((h) => ({ name: h.name, address: h.address })),
            },
        },
        opts,
    );
}
