// The two forwarders, each present while its server is configured; `adopt` imports an existing entry by id
// (the resource option `import`) instead of creating it.
import * as pulumi from "@pulumi/pulumi";
import { AdguardForwarder } from "../../../../components/dns/adguard-forwarder";
import { TechnitiumForwarder } from "../../../../components/dns/technitium-forwarder";

const config = new pulumi.Config();
const domain = config.require("domain");
const target = config.require("target");
const adopt = config.getObject<{ adguard?: string; technitium?: string }>("adopt") ?? {};

const adguard = config.getObject<{ url: string; username: string }>("adguard");
export const adguardTarget = adguard
    ? new AdguardForwarder(
          "adguard",
          { ...adguard, password: config.requireSecret("adguardPassword"), domain, target },
          { import: adopt.adguard },
      ).target
    : undefined;

const technitium = config.getObject<{ url: string }>("technitium");
export const technitiumTarget = technitium
    ? new TechnitiumForwarder(
          "technitium",
          { ...technitium, token: config.requireSecret("technitiumToken"), domain, target },
          { import: adopt.technitium },
      ).target
    : undefined;
