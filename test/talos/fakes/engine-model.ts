// What the Pulumi engine (v3.248.0) does with our provider's answers (provider/), for one resource across runs, so
// a test can drive `pulumi up` after `pulumi up` through a resource handler without the CLI:
// - check(old INPUTS, news) (pkg/resource/deploy/step_generator.go: `Olds: oldInputs`); a failure stops the run;
// - no state: create(checked inputs); the state is {inputs: checked, outputs: outs};
// - else diff(id, old OUTPUTS, checked) (sdk/go/common/resource/plugin/provider_plugin.go, DiffRequest `Olds:
//   mOldOutputs`); `changes: false` is a same step that keeps the OLD outputs and stores the new inputs
//   (pkg/resource/deploy/step.go, SameStep.Apply: `s.new.Outputs = s.old.Outputs`);
// - else update(id, old OUTPUTS, checked): the state is {inputs: checked, outputs: outs}; an error that carries
//   `id` and `properties` (ErrorResourceInitFailed, @pulumi/pulumi provider/server.js grpcResponseFromError)
//   saves those properties as the outputs with the OLD inputs (pkg/engine/update.go, "partially-failed update,
//   saving old inputs"); any other error leaves the state as it was;
// - delete(id, outputs) when the program no longer registers it.
// test/engine/*.engine.ts hold the same sequences with the real engine.
import type * as provider from "@pulumi/pulumi/provider";
import type { Operation, ResourceHandler } from "../../../provider/handler";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Props = Record<string, any>;

export type Step = "create" | "update" | "same" | "delete";

export interface ResourceState {
    id: string;
    inputs: Props;
    outputs: Props;
}

/** A check that refused the inputs, as the engine reports it (the run stops before any step). */
export class CheckFailed extends Error {
    constructor(public readonly failures: provider.CheckFailure[]) {
        super(failures.map((f) => `${f.property}: ${f.reason}`).join("\n"));
    }
}

export class ResourceModel {
    state?: ResourceState;
    /** Every step taken, in order: `create`, `same`, `update`, `update failed`, `delete`. */
    readonly steps: string[] = [];

    /** Warnings the handler gave the engine, in order. */
    readonly warnings: string[] = [];
    private readonly operation: Operation = {
        urn: "urn:pulumi:test::homelab::homelab:test:Resource::r",
        warn: async (message) => void this.warnings.push(message),
    };

    constructor(private readonly provider: ResourceHandler) {}

    /** The outputs dependents see after the run (a same step's are the old ones). */
    get outputs(): Props | undefined {
        return this.state?.outputs;
    }

    /** The step a `pulumi preview` plans for these inputs: check and diff only. */
    async preview(news: Props): Promise<Step> {
        const checked = await this.check(news);
        if (!this.state) return "create";
        return (await this.diff(checked)) ? "update" : "same";
    }

    /** One `pulumi up` of this resource with these inputs. Rethrows a failed step after saving what the engine saves. */
    async up(news: Props): Promise<Step> {
        const checked = await this.check(news);
        if (!this.state) {
            const created = await this.provider.create(checked, this.operation);
            this.state = { id: created.id, inputs: checked, outputs: { ...created.outs } };
            this.steps.push("create");
            return "create";
        }
        if (!(await this.diff(checked))) {
            this.state = { ...this.state, inputs: checked };
            this.steps.push("same");
            return "same";
        }
        try {
            const updated = await this.provider.update!(this.state.id, this.state.outputs, checked, this.operation);
            this.state = { id: this.state.id, inputs: checked, outputs: { ...updated.outs } };
            this.steps.push("update");
            return "update";
        } catch (error) {
            const partial = error as { id?: string; properties?: Props };
            if (partial.id) this.state = { id: this.state.id, inputs: this.state.inputs, outputs: { ...partial.properties } };
            this.steps.push("update failed");
            throw error;
        }
    }

    /** The program stopped registering it: `pulumi up` deletes it. */
    async destroy(): Promise<void> {
        if (!this.state) throw new Error("nothing to delete");
        await this.provider.delete?.(this.state.id, this.state.outputs, this.operation);
        this.state = undefined;
        this.steps.push("delete");
    }

    private async check(news: Props): Promise<Props> {
        if (!this.provider.check) return news;
        const failures = await this.provider.check(this.state?.inputs ?? {}, news);
        if (failures.length) throw new CheckFailed(failures);
        return news;
    }

    private async diff(checked: Props): Promise<boolean> {
        const result = await this.provider.diff(this.state!.id, this.state!.outputs, checked, this.operation);
        if (result.changes === undefined) throw new Error("the provider answered DIFF_UNKNOWN; ours always decide");
        return result.changes;
    }
}
