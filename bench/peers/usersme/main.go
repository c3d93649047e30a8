// The reference server for the authenticated-read benchmarks, written in the seed's stack (Gin,
// golang-jwt, lib/pq from Debian's Go packages, built in GOPATH mode): GET /api/v1/users/me
// reads the caller's row of auth.users; with SESSIONS_DB_USER set, GET /api/v1/sessions/:id
// reads the session's row of session.sessions (the owner's, or any for an admin). It checks the
// same bearer token the gateway checks (EdDSA pinned, key from the gateway's JWKS,
// exp/nbf/iss/aud), in one process.
package main

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt"
	_ "github.com/lib/pq"
)

type accessClaims struct {
	jwt.RegisteredClaims
	Name      string `json:"name"`
	Role      string `json:"role"`
	SessionID string `json:"sid"`
}

// The user as the gateway prints it: protobuf's JSON mapping (lowerCamelCase) with default
// values printed, times in RFC 3339 UTC to the second.
type user struct {
	ID        string `json:"id"`
	Username  string `json:"username"`
	Email     string `json:"email"`
	FullName  string `json:"fullName"`
	Role      string `json:"role"`
	Active    bool   `json:"active"`
	CreatedAt string `json:"createdAt"`
	LastLogin string `json:"lastLogin,omitempty"`
	Provider  string `json:"provider"`
	UpdatedAt string `json:"updatedAt"`
}

type rpcStatus struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Details []interface{} `json:"details"`
}

func env(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return value
	}
	return fallback
}

// fetchKeys reads the Ed25519 keys of a JWKS, retrying until the deadline (the gateway may be
// starting).
func fetchKeys(url string, deadline time.Time) (map[string]ed25519.PublicKey, error) {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		keys, err := fetchKeysOnce(client, url)
		if err == nil {
			return keys, nil
		}
		if time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func fetchKeysOnce(client *http.Client, url string) (map[string]ed25519.PublicKey, error) {
	response, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jwks: HTTP %d", response.StatusCode)
	}
	var set struct {
		Keys []struct {
			Kty, Crv, Kid, Alg, X string
		} `json:"keys"`
	}
	if err := json.NewDecoder(response.Body).Decode(&set); err != nil {
		return nil, err
	}
	keys := map[string]ed25519.PublicKey{}
	for _, key := range set.Keys {
		if key.Kty != "OKP" || key.Crv != "Ed25519" {
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(key.X)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			continue
		}
		keys[key.Kid] = ed25519.PublicKey(raw)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("jwks: no Ed25519 key")
	}
	return keys, nil
}

func refuse(c *gin.Context, status, code int, message string) {
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", "Bearer")
	}
	c.AbortWithStatusJSON(status, rpcStatus{Code: code, Message: message, Details: []interface{}{}})
}

func formatTime(value sql.NullTime) string {
	if !value.Valid {
		return ""
	}
	return value.Time.UTC().Format("2006-01-02T15:04:05Z")
}

// openPool opens a database/sql pool of `size` connections and checks that it reaches the server.
func openPool(conninfo string, size int) *sql.DB {
	db, err := sql.Open("postgres", conninfo)
	if err != nil {
		log.Fatalf("database: %v", err)
	}
	db.SetMaxOpenConns(size)
	db.SetMaxIdleConns(size)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		log.Fatalf("database: %v", err)
	}
	return db
}

func main() {
	listen := env("PEER_ADDR", "127.0.0.1:8090")
	jwksURL := env("JWKS_URL", "http://127.0.0.1:8000/.well-known/jwks.json")
	issuer := env("AUTH_ISSUER", "streamspace")
	audience := env("AUTH_AUDIENCE", "streamspace")
	poolSize, err := strconv.Atoi(env("DB_POOL_SIZE", "8"))
	if err != nil || poolSize < 1 {
		log.Fatalf("DB_POOL_SIZE: want a positive number")
	}
	conninfo := fmt.Sprintf("host=%s port=%s user=%s password=%s dbname=%s sslmode=disable",
		env("DB_HOST", "127.0.0.1"), env("DB_PORT", "5432"), env("DB_USER", "auth"),
		env("DB_PASSWORD", ""), env("DB_NAME", "streamspace"))

	keys, err := fetchKeys(jwksURL, time.Now().Add(10*time.Second))
	if err != nil {
		log.Fatalf("jwks: %v", err)
	}
	db := openPool(conninfo, poolSize)
	query, err := db.Prepare(`SELECT id::text, username, email, full_name, role, NOT disabled,
	       created_at, last_login_at, provider, updated_at FROM auth.users WHERE id = $1`)
	if err != nil {
		log.Fatalf("prepare: %v", err)
	}

	parser := jwt.NewParser(jwt.WithValidMethods([]string{"EdDSA"}))
	keyFor := func(token *jwt.Token) (interface{}, error) {
		kid, _ := token.Header["kid"].(string)
		key, ok := keys[kid]
		if !ok {
			return nil, fmt.Errorf("unknown key")
		}
		return key, nil
	}

	// authenticate answers 401 itself when the bearer token is not good.
	authenticate := func(c *gin.Context) (*accessClaims, bool) {
		header := c.GetHeader("Authorization")
		if !strings.HasPrefix(header, "Bearer ") {
			refuse(c, http.StatusUnauthorized, 16, "missing token")
			return nil, false
		}
		var claims accessClaims
		token, err := parser.ParseWithClaims(header[len("Bearer "):], &claims, keyFor)
		if err != nil || !token.Valid || claims.ExpiresAt == nil ||
			!claims.VerifyIssuer(issuer, true) || !claims.VerifyAudience(audience, true) {
			refuse(c, http.StatusUnauthorized, 16, "invalid token")
			return nil, false
		}
		return &claims, true
	}

	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.Use(gin.Recovery())
	router.GET("/api/v1/users/me", func(c *gin.Context) {
		claims, ok := authenticate(c)
		if !ok {
			return
		}
		var found user
		var createdAt, lastLoginAt, updatedAt sql.NullTime
		err := query.QueryRowContext(c.Request.Context(), claims.Subject).Scan(&found.ID,
			&found.Username, &found.Email, &found.FullName, &found.Role, &found.Active,
			&createdAt, &lastLoginAt, &found.Provider, &updatedAt)
		if err == sql.ErrNoRows || (err == nil && !found.Active) {
			refuse(c, http.StatusUnauthorized, 16, "invalid token")
			return
		}
		if err != nil {
			refuse(c, http.StatusServiceUnavailable, 14, "database unavailable")
			return
		}
		found.CreatedAt = formatTime(createdAt)
		found.LastLogin = formatTime(lastLoginAt)
		found.UpdatedAt = formatTime(updatedAt)
		c.JSON(http.StatusOK, found)
	})
	if sessionsUser := env("SESSIONS_DB_USER", ""); sessionsUser != "" {
		sessions := openPool(fmt.Sprintf("host=%s port=%s user=%s password=%s dbname=%s sslmode=disable",
			env("DB_HOST", "127.0.0.1"), env("DB_PORT", "5432"), sessionsUser,
			env("SESSIONS_DB_PASSWORD", ""), env("DB_NAME", "streamspace")), poolSize)
		session, err := sessions.Prepare(`SELECT body FROM session.sessions
		       WHERE id = $1 AND (username = $2 OR $3 = 'admin')`)
		if err != nil {
			log.Fatalf("prepare: %v", err)
		}
		router.GET("/api/v1/sessions/:id", func(c *gin.Context) {
			claims, ok := authenticate(c)
			if !ok {
				return
			}
			var body []byte
			err := session.QueryRowContext(c.Request.Context(), c.Param("id"), claims.Name,
				claims.Role).Scan(&body)
			if err == sql.ErrNoRows {
				refuse(c, http.StatusNotFound, 5, "session not found")
				return
			}
			if err != nil {
				refuse(c, http.StatusServiceUnavailable, 14, "database unavailable")
				return
			}
			c.Data(http.StatusOK, "application/json", body)
		})
	}
	log.Printf("usersme peer listening on %s (pool %d)", listen, poolSize)
	if err := router.Run(listen); err != nil {
		log.Fatal(err)
	}
}
