git commit -m "$(cat <<'EOF'
msg
EOF
)"