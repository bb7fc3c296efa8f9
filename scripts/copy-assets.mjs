// Copies non-TypeScript assets that the compiled service reads at run time (SQL migrations, console assets).
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/store/migrations', { recursive: true });
cpSync('src/store/migrations', 'dist/store/migrations', { recursive: true });
mkdirSync('dist/console/assets', { recursive: true });
cpSync('src/console/assets', 'dist/console/assets', { recursive: true });
