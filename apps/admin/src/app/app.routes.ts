import type { Routes } from '@angular/router';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'models' },
  {
    path: 'models',
    title: 'Models · LogLens',
    loadComponent: () => import('./features/models/models-page.component').then((m) => m.ModelsPageComponent),
  },
  {
    path: 'models/:ref',
    title: 'Version · LogLens',
    loadComponent: () =>
      import('./features/models/version-detail-page.component').then((m) => m.VersionDetailPageComponent),
  },
  {
    path: 'predict',
    title: 'Predict · LogLens',
    loadComponent: () =>
      import('./features/predict/predict-page.component').then((m) => m.PredictPageComponent),
  },
  {
    path: 'health',
    title: 'Health · LogLens',
    loadComponent: () => import('./features/health/health-page.component').then((m) => m.HealthPageComponent),
  },
  {
    path: 'settings',
    title: 'Settings · LogLens',
    loadComponent: () =>
      import('./features/settings/settings-page.component').then((m) => m.SettingsPageComponent),
  },
  { path: '**', redirectTo: 'models' },
];
