import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { ProxmoxSpec } from "../config";

/**
 * The Proxmox provider: API token for the API, and SSH to each host (by its infrastructure address),
 * which the provider needs to import a downloaded disk image into a VM. Of the trust the program's own client
 * checks, the provider can take only `insecure` (bpg terraform-provider-proxmox v0.111.1 proxmox/api/client.go
 * NewConnection: a tls.Config with MinVersion and InsecureSkipVerify, no RootCAs): it verifies against Go's
 * system roots, which on Linux read SSL_CERT_FILE and SSL_CERT_DIR of the `pulumi` process. So insecure is false
 * unless the stack says otherwise (trust-rules.ts allows that only beside a pin, and warns on every run).
 */
export function proxmoxProvider(
    name: string,
    spec: ProxmoxSpec,
    apiToken: pulumi.Output<string>,
    sshPrivateKey: pulumi.Output<string>,
    opts?: pulumi.CustomResourceOptions,
): proxmox.Provider {
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
