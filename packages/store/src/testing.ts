// The reusable store contract suite is exported from here.
export {};
