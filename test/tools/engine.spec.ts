import { strict as assert } from "assert";
import * as path from "path";
import { evaluate } from "../../tools/offline/engine";

describe("the offline engine", () => {
    it("fails the run on an invoke no mock implements, naming its token", async () => {
        const run = await evaluate({}, [], { program: path.resolve(__dirname, "../harness/fixtures/unknown-invoke.ts"), stallMs: 5000 });
        assert.match(String(run.error?.message), /the mock engine has no answer for invoke example:index\/getNothing:getNothing/);
    });
});
