import type { UserConfig } from 'vitest/config';
export declare function gyroVitest(extra?: Record<string, unknown>): UserConfig;
