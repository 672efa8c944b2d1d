// Every {type} of the vocabulary (steps/README.md). A parameter accepts only
// its listed words, so a typo is an undefined step, never another meaning.
import { defineParameterType } from '@cucumber/cucumber';
import type { Workload } from '../support/admission.ts';
import { type CosignVersion, parseCosignVersion } from '../support/drivers/cosign.ts';
import type { PullClient, RuntimeName } from '../support/runtime.ts';
import { type LoginTool, parseLoginTool } from '../support/registry-logins.ts';

defineParameterType({ name: 'workload', regexp: /pod|deployment/, transformer: (w: string): Workload => (w === 'pod' ? 'pod' : 'deployment') });

defineParameterType({ name: 'cosign', regexp: /cosign v2|cosign v3/, transformer: (v: string): CosignVersion => parseCosignVersion(v.replace('cosign ', '')) });

defineParameterType({ name: 'identity', regexp: /email|URI/, transformer: (v: string): 'email' | 'uri' => (v === 'email' ? 'email' : 'uri') });

/** Whether oras copies the signatures along (--recursive) or only the image. */
defineParameterType({ name: 'copyMode', regexp: /with oras --recursive|with oras without --recursive/, transformer: (text: string) => text === 'with oras --recursive' });

defineParameterType({ name: 'runtime', regexp: /CRI-O|containerd/, transformer: (r: string): RuntimeName => (r === 'CRI-O' ? 'CRI-O' : 'containerd') });

defineParameterType({ name: 'pullClient', regexp: /crictl|ctr/, transformer: (c: string): PullClient => (c === 'crictl' ? 'crictl' : 'ctr') });

/** A tool a scenario may replace: cosign v2, cosign v3, or any pinned binary by name. */
defineParameterType({ name: 'replaceable', regexp: /cosign v2|cosign v3|the tool "[^"]+"/, transformer: (t: string) => t });

/** A tool that logs in to a registry with its own login command. */
defineParameterType({ name: 'loginTool', regexp: /oras|notation|cosign v2|cosign v3/, transformer: (t: string): LoginTool => parseLoginTool(t) });
