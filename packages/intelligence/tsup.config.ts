import { defineConfig } from 'tsup';
import { gyroTsup } from '@gyro/tooling/tsup';

export default defineConfig(gyroTsup(['src/index.ts', 'src/internals.ts']));
