import { PlainSpec, validateConfig } from "../../components/spec";
import { homeValues } from "../harness/home";

// The validated spec of the home stack (Pulumi.home.yaml) for pure-module tests, as loadSpec builds it:
// keys without the `homelab:` prefix, every secret reported as set.

const secrets = new Set(["proxmoxApiToken", "proxmoxSshPrivateKey", "cloudflareApiToken", "adguardPassword", "technitiumToken"]);

/** The home spec, after `edit` has changed the raw `homelab:` values. Throws the problems if it does not validate. */
export function homeSpec(edit: (values: Record<string, any>) => void = () => undefined): PlainSpec /* eslint-disable-line @typescript-eslint/no-explicit-any */ {
    const values = homeValues();
    edit(values);
    const raw = Object.fromEntries(Object.entries(values).map(([key, value]) => [key.replace(/^homelab:/, ""), value]));
    const result = validateConfig(raw, secrets);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.key} ${p.message}`).join("\n"));
    return result.spec;
}
