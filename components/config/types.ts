import type * as pulumi from "@pulumi/pulumi";
import type { PlainSpec } from "./shape";

// The spec every plan function reads: the schema's output (shape.ts) plus the secrets, which stay
// Outputs. Built once from config by loadSpec() (components/program-config.ts); frozen. Of Pulumi this
// module takes only the Output type.

export * from "./shape";

/** Secret config, read with requireSecret: never plain text in the program. */
export interface SpecSecrets {
    proxmoxApiToken: pulumi.Output<string>;
    proxmoxSshPrivateKey: pulumi.Output<string>;
    /** The main token (tunnel and records; it cannot create tokens); only with homelab:cloudflare. Never in the cluster. */
    cloudflareApiToken?: pulumi.Output<string>;
    /** cert-manager's DNS-only token, made by the user; unset only when the edge mints one (cloudflare.mintDnsToken). */
    cloudflareDnsToken?: pulumi.Output<string>;
    adguardPassword?: pulumi.Output<string>;
    technitiumToken?: pulumi.Output<string>;
}

export interface HomelabSpec extends PlainSpec {
    secrets: SpecSecrets;
}
