import { defineConfig } from "vitest/config";

// Unit tests of the logic that is not a page (errors, time formatting, model helpers) and of the
// UI kit's markup (rendered to a string): Node, no DOM.
// Pages are tested end to end by the browser journeys (tests/e2e/).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
