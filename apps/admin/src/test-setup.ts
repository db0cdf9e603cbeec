import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

// The app runs zoneless (provideZonelessChangeDetection), so the tests do too.
setupZonelessTestEnv();
