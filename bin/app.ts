import { App } from 'aws-cdk-lib';
import { SkewguardStack } from '../lib/infra/skewguard-stack';

// The CDK app entry (`npx cdk synth|deploy`); environment-agnostic so synth needs no credentials.
const app = new App();
new SkewguardStack(app, 'Skewguard');
app.synth();
