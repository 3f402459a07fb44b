/**
 * The CDKTF app (`cdktf synth`, see cdktf.json): every stack of every environment of the platform,
 * synthesized into the output directory cdktf-cli gives (CDKTF_OUTDIR, default "cdktf.out").
 * Committed output under dist/ is written by the render pipeline through `renderTerraform`, which
 * builds the very same stacks.
 */
import { App } from 'cdktf';
import { loadPlatform } from '../platform/load';
import { addEnvironmentStacks } from './stacks';

const platform = loadPlatform();
const app = new App();
for (const env of platform.environments) addEnvironmentStacks(app, platform, env);
app.synth();
