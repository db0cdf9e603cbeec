import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { apiErrorInterceptor, apiKeyInterceptor } from './core/api.interceptors';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // Signals drive every view, so zone.js (and its polyfill) is not needed.
    provideZonelessChangeDetection(),
    // Order matters: the error interceptor sits outside, so it also sees failures of the key-carrying request.
    // No withFetch(): the fetch backend reports no upload progress, and the Upload page shows it (XHR does).
    provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
    provideRouter(routes, withComponentInputBinding()),
  ],
};
