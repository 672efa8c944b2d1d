@node @kyverno @crio @containerd @cosign @cosign-v2
Feature: Workloads from the user's own manifests, on a node

  A scenario can name a Pod or Deployment manifest of the user's, with
  {{image}} where the image reference goes (examples/workloads/). sigproof
  renders it, puts it in the scenario's namespace and on the scenario's node,
  and keeps everything else as written: init containers, annotations, pull
  policies, commands.

  Background:
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"

  Scenario Outline: a team's pod (an init container, pull policy Always) and Deployment run on <runtime> when signed
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the manifest "examples/workloads/team-pod.yaml" with the image "prod/app:signed" is admitted
    And the pod "team-app" runs
    And the manifest "examples/workloads/team-deployment.yaml" with the image "prod/app:signed" is admitted
    And the deployment "team-web" has 2 running pods

    Examples:
      | runtime    | node policy |
      | CRI-O      | node        |
      | containerd | node-cosign |

  Scenario Outline: a team's Deployment with the unsigned image is refused by Kyverno before it reaches <runtime>'s node
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the manifest "examples/workloads/team-deployment.yaml" with the image "prod/app:unsigned" is rejected because "no signatures found"

    Examples:
      | runtime    | node policy |
      | CRI-O      | node        |
      | containerd | node-cosign |

  Scenario Outline: a team's pod with the unsigned image where Kyverno does not reach: <runtime> refuses the init container's pull
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256" in another namespace
    And a node running <runtime> with the policy "<node policy>" trusting "corp-ecdsa-p256"
    Then the manifest "examples/workloads/team-pod.yaml" with the image "prod/app:unsigned" is admitted
    And the pod "team-app" cannot pull its image because "<reason>"

    Examples:
      | runtime    | node policy | reason                                             |
      | CRI-O      | node        | A signature was required, but no signature exists |
      | containerd | node-cosign | cosign found no valid signature                    |
