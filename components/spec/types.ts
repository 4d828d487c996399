import * as pulumi from "@pulumi/pulumi";
import type { PlainSpec } from "./shape";

// The spec every plan function reads: the schema's output (shape.ts) plus the secrets, which stay
// Outputs. Built once from config by loadSpec(); frozen.

export * from "./shape";

/** Secret config, read with requireSecret: never plain text in the program. */
export interface SpecSecrets {
    proxmoxApiToken: pulumi.Output<string>;
    proxmoxSshPrivateKey: pulumi.Output<string>;
    cloudflareApiToken: pulumi.Output<string>;
    adguardPassword?: pulumi.Output<string>;
    technitiumToken?: pulumi.Output<string>;
}

export interface HomelabSpec extends PlainSpec {
    secrets: SpecSecrets;
}
