import { defineConfig } from 'vitest/config';
import { gyroVitest } from '@gyro/tooling/vitest';

export default defineConfig(gyroVitest());
