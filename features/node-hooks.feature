@node @crio @containerd @oci-hook
Feature: An OCI hook verifies at container creation: what it stops, what it lets onto the disk, and what it costs

  The proof of concept: "Both could also verify signatures using OCI hooks,
  with cost of performance hit on each container creation. This would allow
  malicious, unsigned images hit the local disk." Each scenario starts its own
  node with the runtime's pull-time check off (CRI-O: a policy.json of
  insecureAcceptAnything; containerd: no image verifier) and sigproof's OCI
  hook verifier (plugin/oci-hook-verifier.ts) at the createRuntime stage:
  CRI-O reads it from its hooks dir, containerd from the base runtime spec of
  its runc handler. The hook finds the image in the container's annotations
  and verifies it with the real cosign, under the containerd verifier's
  policy format (policies/containerd/): "node-cosign" and "node-notation"
  verify "prod", allow the "sandbox" registry of the pause image and block
  the rest.

  Rule: cosign v2 signatures, relocated with cosign copy

    Background:
      Given the registries "ci" and "prod"
      And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
      And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
      And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
      And "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"

    @cosign @cosign-v2
    Scenario Outline: with pull-time checks off, the OCI hook on <runtime> runs the signed pod and refuses the unsigned one at container creation, after its image reached the node's disk
      Given a node running <runtime> with pull-time verification off and the OCI hook verifying with the policy "node-cosign" trusting "corp-ecdsa-p256"
      When the pod "pod-signed" running "prod/app:signed" is admitted
      Then the pod "pod-signed" runs
      And the OCI hook allowed "prod/app:signed" every time, because "cosign verified"
      When the pod "pod-unsigned" running "prod/app:unsigned" is admitted
      Then the OCI hook refuses to create the pod "pod-unsigned"'s container because "cosign found no valid signature"
      And "prod/app:unsigned" is in the node's image store all the same
      # Result: neither runtime gives the hook its sandbox (pause) containers:
      # CRI-O adds hooks to containers only, and containerd's sandbox spec
      # does not start from the runc handler's base spec. The pause image
      # stays with the pull-time policy.
      And the OCI hook was never called for a pod's sandbox container, only for its own

      Examples:
        | runtime    |
        | CRI-O      |
        | containerd |

    @cosign @cosign-v2
    Scenario: images imported into containerd's store, never pulled, are still checked by the OCI hook when a container is made from them
      # Contrast: at pull time, an imported image never meets containerd's
      # verifier (runtime-containerd.feature).
      Given a node running containerd with pull-time verification off and the OCI hook verifying with the policy "node-cosign" trusting "corp-ecdsa-p256"
      And "prod/app:signed" is imported into the node's containerd from an OCI archive
      And "prod/app:unsigned" is imported into the node's containerd from an OCI archive
      When the pod "pod-imported-signed" running "prod/app:signed" with the pull policy Never is admitted
      Then the pod "pod-imported-signed" runs
      And the OCI hook allowed "prod/app:signed" every time, because "cosign verified"
      When the pod "pod-imported" running "prod/app:unsigned" with the pull policy Never is admitted
      Then the OCI hook refuses to create the pod "pod-imported"'s container because "cosign found no valid signature"

    @cosign @cosign-v2
    Scenario Outline: an image already in <runtime>'s store is checked again by the OCI hook at every container creation
      # Contrast: with pull-time verification only, containerd runs a cached
      # image after its policy tightened (node-runtime.feature); CRI-O checks
      # its policy.json again at container creation, as the hook does.
      Given a node running <runtime> with pull-time verification off and the OCI hook verifying with the policy "allow-all" trusting "corp-ecdsa-p256"
      And the pod "pod-first" running "prod/app:unsigned" is admitted
      And the pod "pod-first" runs
      When the OCI hook's policy becomes "node-cosign"
      And the pod "pod-cached" running "prod/app:unsigned" with the pull policy IfNotPresent is admitted
      Then the OCI hook refuses to create the pod "pod-cached"'s container because "cosign found no valid signature"
      And the OCI hook allowed "prod/app:unsigned" once, then refused it at every later creation because "cosign found no valid signature"

      Examples:
        | runtime    |
        | CRI-O      |
        | containerd |

  Rule: Notation signatures, relocated with oras

    @notation
    Scenario Outline: the OCI hook on <runtime> verifies Notation signatures; at pull, <pull-time>
      Given the registries "ci" and "prod"
      And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
      And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
      And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
      And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
      And "ci/app:unsigned" is copied with oras --recursive to "prod/app:unsigned"
      And a node running <runtime> with pull-time verification off and the OCI hook verifying with the policy "node-notation" trusting "corp-rsa-pss"
      When the pod "pod-signed" running "prod/app:signed" is admitted
      Then the pod "pod-signed" runs
      And the OCI hook allowed "prod/app:signed" every time, because "notation verified"
      When the pod "pod-unsigned" running "prod/app:unsigned" is admitted
      Then the OCI hook refuses to create the pod "pod-unsigned"'s container because "notation found no valid signature"

      Examples:
        | runtime    | pull-time                                                                                  |
        | CRI-O      | policy.json has no Notation requirement (containers/image v5.38 knows signedBy and sigstoreSigned) |
        | containerd | sigproof's containerd verifier does the same                                              |
