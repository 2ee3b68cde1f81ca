package models_test

import (
	"context"
	"os"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestListsReadFromReplicas opens the app's database with a second
// database acting as a read-only copy that differs on purpose: lists and
// counts must come from the copy, everything else from the primary.
func TestListsReadFromReplicas(t *testing.T) {
	server := os.Getenv(modelstest.MariaDBEnv)
	if server == "" {
		modelstest.SkipUnlessRequired(t, modelstest.MariaDBEnv+" is not set")
	}
	ctx := context.Background()
	primaryURL := modelstest.MariaDBURL(server, modelstest.CreateMariaDB(t, server))
	replicaURL := modelstest.MariaDBURL(server, modelstest.CreateMariaDB(t, server))
	replica, err := models.Open(replicaURL, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	if err := replica.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := models.NewAlunoStore(replica).Create(ctx, tester, input("Só na réplica", "R", "REPLICA-1")); err != nil {
		t.Fatal(err)
	}

	db, err := models.Open(primaryURL, models.DefaultPool, replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := models.NewAlunoStore(db)
	a, err := s.Create(ctx, tester, input("Só no primário", "P", "PRIMARY-1"))
	if err != nil {
		t.Fatal(err)
	}
	list, total, err := s.List(ctx, models.NewListQuery(models.AlunoList, 10, nil))
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(list) != 1 || list[0].RA != "REPLICA-1" {
		t.Fatalf("list came from the primary: %+v", list)
	}
	got, err := s.Get(ctx, a.ID) // a read after a write: the primary
	if err != nil || got.RA != "PRIMARY-1" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := s.Update(ctx, tester, a.ID, 1, models.AlunoInput{Turma: ptr("P2")}, false); err != nil {
		t.Fatalf("update on the primary: %v", err)
	}
	if _, err := models.Open("sqlite:"+t.TempDir()+"/x.db", models.DefaultPool, replicaURL); err == nil {
		t.Fatal("replicas accepted for SQLite")
	}
}
