// Test helpers (shared meta-assets for test suites) are exported from here.
export {};
