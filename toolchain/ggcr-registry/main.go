// ggcr-registry: go-containerregistry's registry (the one `crane registry serve`
// runs) with its OCI 1.1 referrers API switched on. crane v0.22.1 serves the
// same handler without registry.WithReferrersSupport(true), so its referrers
// endpoint answers 404; this main differs from crane's only in that option.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	address := flag.String("address", "127.0.0.1:0", "address to listen on")
	disk := flag.String("disk", "", "directory for blobs (default: memory)")
	version := flag.Bool("version", false, "print the go-containerregistry version and exit")
	flag.Parse()
	if *version {
		fmt.Printf("ggcr-registry: go-containerregistry %s pkg/registry, referrers API on\n", moduleVersion("github.com/google/go-containerregistry"))
		return
	}

	blobs := registry.NewInMemoryBlobHandler()
	if *disk != "" {
		if err := os.MkdirAll(*disk, 0o755); err != nil {
			log.Fatalf("blob directory: %v", err)
		}
		blobs = registry.NewDiskBlobHandler(*disk)
	}
	listener, err := net.Listen("tcp", *address)
	if err != nil {
		log.Fatalf("listen on %s: %v", *address, err)
	}
	log.Printf("serving on %s (referrers API on)", listener.Addr())
	server := &http.Server{
		Handler:           registry.New(registry.WithBlobHandler(blobs), registry.WithReferrersSupport(true)),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Fatal(server.Serve(listener))
}

func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == path {
				return dep.Version
			}
		}
	}
	return "(unknown)"
}
