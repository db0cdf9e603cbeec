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
    path: 'upload',
    title: 'Upload a version · LogLens',
    loadComponent: () => import('./features/upload/upload-page.component').then((m) => m.UploadPageComponent),
  },
  {
    path: 'train',
    title: 'Train a model · LogLens',
    loadComponent: () => import('./features/training/train-page.component').then((m) => m.TrainPageComponent),
  },
  {
    path: 'history',
    title: 'Transfer history · LogLens',
    loadComponent: () =>
      import('./features/history/history-page.component').then((m) => m.HistoryPageComponent),
  },
  {
    path: 'predict',
    title: 'Predict · LogLens',
    loadComponent: () =>
      import('./features/predict/predict-page.component').then((m) => m.PredictPageComponent),
  },
  {
    path: 'performance',
    title: 'Performance · LogLens',
    loadComponent: () =>
      import('./features/performance/performance-page.component').then((m) => m.PerformancePageComponent),
  },
  {
    path: 'experiments',
    title: 'Experiments · LogLens',
    loadComponent: () =>
      import('./features/experiments/experiments-page.component').then((m) => m.ExperimentsPageComponent),
  },
  {
    path: 'experiments/new',
    title: 'New experiment · LogLens',
    loadComponent: () =>
      import('./features/experiments/experiment-create-page.component').then((m) => m.ExperimentCreatePageComponent),
  },
  {
    path: 'experiments/:id',
    title: 'Experiment · LogLens',
    loadComponent: () =>
      import('./features/experiments/experiment-detail-page.component').then((m) => m.ExperimentDetailPageComponent),
  },
  {
    path: 'drift',
    title: 'Drift · LogLens',
    loadComponent: () => import('./features/drift/drift-page.component').then((m) => m.DriftPageComponent),
  },
  {
    path: 'analyze',
    title: 'Analyze logs · LogLens',
    loadComponent: () =>
      import('./features/analysis/analyze-page.component').then((m) => m.AnalyzePageComponent),
  },
  {
    path: 'anomalies',
    title: 'Live anomalies · LogLens',
    loadComponent: () =>
      import('./features/analysis/live-anomalies-page.component').then((m) => m.LiveAnomaliesPageComponent),
  },
  {
    path: 'results',
    title: 'Stored results · LogLens',
    loadComponent: () =>
      import('./features/analysis/results-page.component').then((m) => m.ResultsPageComponent),
  },
  {
    path: 'dead-letters',
    title: 'Dead letters · LogLens',
    loadComponent: () =>
      import('./features/dead-letters/dead-letters-page.component').then((m) => m.DeadLettersPageComponent),
  },
  // not /health: the gateway answers /health* itself (its probes), so a reload there would never reach the console
  { path: 'health', pathMatch: 'full', redirectTo: 'status' },
  {
    path: 'status',
    title: 'Health · LogLens',
    loadComponent: () => import('./features/health/health-page.component').then((m) => m.HealthPageComponent),
  },
  {
    path: 'keys',
    title: 'API keys · LogLens',
    loadComponent: () => import('./features/keys/keys-page.component').then((m) => m.KeysPageComponent),
  },
  {
    path: 'audit',
    title: 'Audit log · LogLens',
    loadComponent: () => import('./features/audit/audit-page.component').then((m) => m.AuditPageComponent),
  },
  {
    path: 'settings',
    title: 'Settings · LogLens',
    loadComponent: () =>
      import('./features/settings/settings-page.component').then((m) => m.SettingsPageComponent),
  },
  { path: '**', redirectTo: 'models' },
];
